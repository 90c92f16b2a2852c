package assets

// LangHe translates LangEN (i18n_en.go) into עברית.
const LangHe = `code=he
name=עברית
dir=rtl
challenge_title=רגע אחד, בבקשה
challenge_heading=האם אתם בני אדם?
text_prompt=כדי להמשיך, הקלידו את התווים שבתמונה (מספר התווים: {count}). אין הבדל בין אותיות גדולות לקטנות.
text_alt=תווים מעוותים להקלדה בשדה שלמטה
text_label=תווים
button_continue=המשך
oneclick_prompt=בחרו את התמונה שמציגה את אותו הדבר כמו התמונה הזו:
oneclick_reference_alt=תמונת הייחוס. אחת מהתמונות שלמטה (סך הכול {count}) מציגה את אותו הדבר.
multiclick_prompt=בחרו את כל התמונות שמציגות את אותו הדבר כמו התמונה הזו, ואז לחצו על "המשך".
multiclick_reference_alt=תמונת הייחוס. חלק מהתמונות שלמטה (סך הכול {count}) מציגות את אותו הדבר.
multiclick_legend=תמונות שמציגות את אותו הדבר
candidate_alt=תמונה {index} מתוך {count}
audio_prompt=האזינו להקלטה והקלידו את הספרות שאתם שומעים (מספר הספרות: {count}).
audio_hard_prompt=האזינו גם להקלטה והקלידו את הספרות שאתם שומעים (מספר הספרות: {count}).
audio_label=ספרות
audio_unsupported=הדפדפן שלכם לא יכול להשמיע את ההקלטה הזו.
audio_alternative=לא רואים את התמונות? השתמשו באתגר קולי
visual_alternative=לא יכולים להאזין? השתמשו באתגר תמונות
error_wrong=התשובה שגויה, נסו שוב.
error_expired=תוקף האתגר פג. הנה אתגר חדש.
error_spent=האתגר הזה כבר נוצל. הנה אתגר חדש.
error_harder=הדף הזה דורש אתגר קשה יותר, והנה הוא.
error_bad_input=לא הצלחנו לקרוא את התשובה שלכם. נסו שוב.
footer_full=מוגן על ידי Captchaify, מערכת CAPTCHA באירוח עצמי. אף צד שלישי לא רואה את הביקור שלכם.
footer_short=מוגן על ידי Captchaify.
blocked_title=הגישה נחסמה
blocked_heading=הגישה נחסמה
blocked_sorry=מצטערים, לא ניתן להציג לכם את הדף הזה כרגע.
blocked_suspicious=הדף הזה אינו מקבל ביקורים אוטומטיים או אנונימיים.
blocked_lockout=יותר מדי תשובות שגויות. נסו שוב מאוחר יותר.
blocked_vpn=אם אתם משתמשים ב-VPN או בשרת פרוקסי, ייתכן שכיבויו יעזור.
blocked_home=חזרה לדף הראשי
ratelimited_title=יותר מדי בקשות
ratelimited_heading=זמן לכוס תה
ratelimited_text=שלחתם יותר מדי בקשות בדקה האחרונה. המתינו {seconds} שנ׳ ונסו שוב.
ratelimited_retry=רענון הדף
language_link=שפה
language_title=בחירת שפה
language_heading=בחירת שפה
language_search_label=חיפוש שפה
language_search_button=חיפוש
language_no_match=אין שפה שתואמת את החיפוש שלכם.
language_show_all=הצגת כל השפות
language_back=חזרה בלי לשנות את השפה
theme_link_dark=ערכת נושא כהה
theme_link_light=ערכת נושא בהירה
`
