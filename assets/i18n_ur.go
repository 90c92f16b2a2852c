package assets

// LangUr translates LangEN (i18n_en.go) into اردو.
const LangUr = `code=ur
name=اردو
dir=rtl
challenge_title=براہ کرم ایک لمحہ انتظار کریں
challenge_heading=کیا آپ انسان ہیں؟
text_prompt=جاری رکھنے کے لیے تصویر میں نظر آنے والے حروف درج کریں (کل تعداد: {count})۔ چھوٹے یا بڑے حروف سے کوئی فرق نہیں پڑتا۔
text_alt=بگڑے ہوئے حروف جنہیں نیچے دیے گئے خانے میں درج کرنا ہے
text_label=حروف
button_continue=جاری رکھیں
oneclick_prompt=وہ تصویر منتخب کریں جس میں وہی چیز دکھائی گئی ہو جو اس تصویر میں ہے:
oneclick_reference_alt=حوالہ تصویر۔ نیچے دی گئی تصاویر (کل تعداد: {count}) میں سے ایک میں وہی چیز دکھائی گئی ہے۔
multiclick_prompt=وہ تمام تصاویر منتخب کریں جن میں وہی چیز دکھائی گئی ہو جو اس تصویر میں ہے، پھر ”جاری رکھیں“ دبائیں۔
multiclick_reference_alt=حوالہ تصویر۔ نیچے دی گئی تصاویر (کل تعداد: {count}) میں سے کچھ میں وہی چیز دکھائی گئی ہے۔
multiclick_legend=وہی چیز دکھانے والی تصاویر
candidate_alt={count} میں سے تصویر {index}
audio_prompt=ریکارڈنگ سنیں اور سنائی دینے والے ہندسے درج کریں (کل تعداد: {count})۔
audio_hard_prompt=ریکارڈنگ بھی سنیں اور سنائی دینے والے ہندسے درج کریں (کل تعداد: {count})۔
audio_label=ہندسے
audio_unsupported=آپ کا براؤزر یہ ریکارڈنگ نہیں چلا سکتا۔
audio_alternative=تصاویر نظر نہیں آ رہیں؟ آڈیو چیلنج استعمال کریں
visual_alternative=سن نہیں سکتے؟ تصویری چیلنج استعمال کریں
error_wrong=یہ درست نہیں تھا، براہ کرم دوبارہ کوشش کریں۔
error_expired=اس چیلنج کی میعاد ختم ہو چکی تھی۔ یہ رہا نیا چیلنج۔
error_spent=یہ چیلنج پہلے ہی استعمال ہو چکا تھا۔ یہ رہا نیا چیلنج۔
error_harder=اس صفحے کے لیے زیادہ مشکل چیلنج درکار ہے۔ وہ یہ رہا۔
error_bad_input=آپ کا جواب پڑھا نہیں جا سکا۔ براہ کرم دوبارہ کوشش کریں۔
footer_full=Captchaify کے ذریعے محفوظ، جو ایک سیلف ہوسٹڈ کیپچا ہے۔ کوئی تیسرا فریق آپ کی آمد کو نہیں دیکھتا۔
footer_short=Captchaify کے ذریعے محفوظ۔
blocked_title=رسائی مسدود
blocked_heading=رسائی مسدود کر دی گئی
blocked_sorry=معذرت، آپ فی الحال یہ صفحہ نہیں دیکھ سکتے۔
blocked_suspicious=یہ صفحہ خودکار یا گمنام رسائی قبول نہیں کرتا۔
blocked_lockout=بہت زیادہ غلط جوابات۔ براہ کرم بعد میں دوبارہ کوشش کریں۔
blocked_vpn=اگر آپ VPN یا پراکسی استعمال کر رہے ہیں تو اسے بند کرنے سے مدد مل سکتی ہے۔
blocked_home=مرکزی صفحے پر واپس جائیں
ratelimited_title=بہت زیادہ درخواستیں
ratelimited_heading=ایک کپ چائے پی لیں
ratelimited_text=آپ نے پچھلے ایک منٹ میں بہت زیادہ درخواستیں بھیجی ہیں۔ براہ کرم {seconds} سیکنڈ انتظار کریں، پھر دوبارہ کوشش کریں۔
ratelimited_retry=صفحہ ریفریش کریں
language_link=زبان
language_title=اپنی زبان منتخب کریں
language_heading=اپنی زبان منتخب کریں
language_search_label=زبان تلاش کریں
language_search_button=تلاش کریں
language_no_match=آپ کی تلاش سے کوئی زبان مماثل نہیں۔
language_show_all=تمام زبانیں دکھائیں
language_back=زبان تبدیل کیے بغیر واپس جائیں
theme_link_dark=گہرا تھیم
theme_link_light=ہلکا تھیم
`
