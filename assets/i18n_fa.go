package assets

// LangFa translates LangEN (i18n_en.go) into فارسی.
const LangFa = `code=fa
name=فارسی
dir=rtl
challenge_title=لطفاً لحظه‌ای صبر کنید
challenge_heading=آیا شما انسان هستید؟
text_prompt=برای ادامه، {count} کاراکتری را که در تصویر می‌بینید وارد کنید. کوچکی یا بزرگی حروف مهم نیست.
text_alt=کاراکترهای مخدوش که باید در کادر زیر وارد شوند
text_label=کاراکترها
button_continue=ادامه
oneclick_prompt=تصویری را انتخاب کنید که همان موضوع این تصویر را نشان می‌دهد:
oneclick_reference_alt=تصویر مرجع. یکی از {count} تصویر زیر همین موضوع را نشان می‌دهد.
multiclick_prompt=همهٔ تصویرهایی را که همان موضوع این تصویر را نشان می‌دهند انتخاب کنید، سپس «ادامه» را بزنید.
multiclick_reference_alt=تصویر مرجع. چند تصویر از {count} تصویر زیر همین موضوع را نشان می‌دهند.
multiclick_legend=تصویرهایی با همین موضوع
candidate_alt=تصویر {index} از {count}
audio_prompt=به صدای ضبط‌شده گوش دهید و {count} رقمی را که می‌شنوید وارد کنید.
audio_hard_prompt=به صدای ضبط‌شده نیز گوش دهید و {count} رقمی را که می‌شنوید وارد کنید.
audio_label=رقم‌ها
audio_unsupported=مرورگر شما نمی‌تواند این صدا را پخش کند.
audio_alternative=تصویرها را نمی‌بینید؟ از آزمون صوتی استفاده کنید
visual_alternative=نمی‌توانید گوش دهید؟ از آزمون تصویری استفاده کنید
error_wrong=پاسخ درست نبود، لطفاً دوباره تلاش کنید.
error_expired=آن آزمون منقضی شده بود. این یک آزمون جدید است.
error_spent=آن آزمون قبلاً استفاده شده بود. این یک آزمون جدید است.
error_harder=این صفحه به آزمون دشوارتری نیاز دارد که در ادامه آمده است.
error_bad_input=پاسخ شما خوانده نشد. لطفاً دوباره تلاش کنید.
footer_full=محافظت‌شده با Captchaify، یک کپچای خودمیزبان. هیچ شخص ثالثی بازدید شما را نمی‌بیند.
footer_short=محافظت‌شده با Captchaify.
blocked_title=دسترسی مسدود شد
blocked_heading=دسترسی مسدود شد
blocked_sorry=متأسفیم، در حال حاضر نمی‌توانید این صفحه را ببینید.
blocked_suspicious=این صفحه بازدیدهای خودکار یا ناشناس را نمی‌پذیرد.
blocked_lockout=تعداد پاسخ‌های نادرست بیش از حد است. لطفاً بعداً دوباره تلاش کنید.
blocked_vpn=اگر از VPN یا پراکسی استفاده می‌کنید، خاموش کردن آن ممکن است کمک کند.
blocked_home=بازگشت به صفحهٔ اصلی
ratelimited_title=درخواست‌های بیش از حد
ratelimited_heading=یک فنجان چای بنوشید
ratelimited_text=در یک دقیقهٔ گذشته درخواست‌های بیش از حدی فرستاده‌اید. لطفاً {seconds} ثانیه صبر کنید و سپس دوباره تلاش کنید.
ratelimited_retry=تازه‌سازی صفحه
language_link=زبان
language_title=زبان خود را انتخاب کنید
language_heading=زبان خود را انتخاب کنید
language_search_label=جستجوی زبان
language_search_button=جستجو
language_no_match=هیچ زبانی با جستجوی شما مطابقت ندارد.
language_show_all=نمایش همهٔ زبان‌ها
language_back=بازگشت بدون تغییر زبان
theme_link_dark=پوستهٔ تیره
theme_link_light=پوستهٔ روشن
`
