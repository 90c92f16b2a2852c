package assets

// LangAr translates LangEN (i18n_en.go) into العربية.
const LangAr = `code=ar
name=العربية
dir=rtl
challenge_title=لحظة من فضلك
challenge_heading=هل أنت إنسان؟
text_prompt=للمتابعة، يُرجى كتابة الأحرف الظاهرة في الصورة (عددها {count}). لا فرق بين الأحرف الكبيرة والصغيرة.
text_alt=أحرف مشوَّهة تُكتب في الحقل أدناه
text_label=الأحرف
button_continue=متابعة
oneclick_prompt=يُرجى اختيار الصورة التي تُظهر الموضوع نفسه الظاهر في هذه الصورة:
oneclick_reference_alt=الصورة المرجعية. تُظهر إحدى الصور أدناه (وعددها {count}) الموضوع نفسه.
multiclick_prompt=يُرجى اختيار كل صورة تُظهر الموضوع نفسه الظاهر في هذه الصورة، ثم الضغط على «متابعة».
multiclick_reference_alt=الصورة المرجعية. تُظهر بعض الصور أدناه (وعددها {count}) الموضوع نفسه.
multiclick_legend=الصور التي تُظهر الموضوع نفسه
candidate_alt=الصورة {index} من {count}
audio_prompt=يُرجى الاستماع إلى التسجيل وكتابة الأرقام التي تسمعها (عددها {count}).
audio_hard_prompt=يُرجى أيضًا الاستماع إلى التسجيل وكتابة الأرقام التي تسمعها (عددها {count}).
audio_label=الأرقام
audio_unsupported=لا يستطيع متصفحك تشغيل هذا التسجيل.
audio_alternative=لا تستطيع رؤية الصور؟ استخدم اختبارًا صوتيًا
visual_alternative=لا تستطيع الاستماع؟ استخدم اختبارًا بالصور
error_wrong=الإجابة غير صحيحة، يُرجى المحاولة مرة أخرى.
error_expired=انتهت صلاحية ذلك الاختبار. إليك اختبارًا جديدًا.
error_spent=سبق استخدام ذلك الاختبار. إليك اختبارًا جديدًا.
error_harder=تتطلب هذه الصفحة اختبارًا أصعب، وها هو.
error_bad_input=تعذّرت قراءة إجابتك. يُرجى المحاولة مرة أخرى.
footer_full=محمي بواسطة Captchaify، وهو نظام كابتشا مستضاف ذاتيًا. لا يطّلع أي طرف ثالث على زيارتك.
footer_short=محمي بواسطة Captchaify.
blocked_title=تم حظر الوصول
blocked_heading=تم حظر الوصول
blocked_sorry=عذرًا، لا يمكنك عرض هذه الصفحة حاليًا.
blocked_suspicious=لا تقبل هذه الصفحة الزيارات الآلية أو مجهولة الهوية.
blocked_lockout=عدد كبير جدًا من الإجابات الخاطئة. يُرجى المحاولة مرة أخرى لاحقًا.
blocked_vpn=إذا كنت تستخدم شبكة VPN أو خادمًا وكيلًا، فقد يفيد إيقافه.
blocked_home=العودة إلى الصفحة الرئيسية
ratelimited_title=طلبات كثيرة جدًا
ratelimited_heading=استرح قليلًا مع كوب من الشاي
ratelimited_text=أرسلت طلبات كثيرة جدًا خلال الدقيقة الأخيرة. يُرجى الانتظار ثم المحاولة مرة أخرى. مدة الانتظار بالثواني: {seconds}.
ratelimited_retry=تحديث الصفحة
language_link=اللغة
language_title=اختر لغتك
language_heading=اختر لغتك
language_search_label=ابحث عن لغة
language_search_button=بحث
language_no_match=لا توجد لغة تطابق بحثك.
language_show_all=عرض كل اللغات
language_back=رجوع دون تغيير اللغة
theme_link_dark=المظهر الداكن
theme_link_light=المظهر الفاتح
`
