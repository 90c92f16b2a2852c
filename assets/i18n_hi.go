package assets

// LangHi translates LangEN (i18n_en.go) into हिन्दी.
const LangHi = `code=hi
name=हिन्दी
dir=ltr
challenge_title=कृपया एक क्षण रुकें
challenge_heading=क्या आप इंसान हैं?
text_prompt=आगे बढ़ने के लिए चित्र में दिख रहे {count} अक्षर लिखें। छोटे या बड़े अक्षरों से कोई फ़र्क नहीं पड़ता।
text_alt=विकृत अक्षर, जिन्हें नीचे दिए गए फ़ील्ड में लिखना है
text_label=अक्षर
button_continue=जारी रखें
oneclick_prompt=वह चित्र चुनें जिसमें वही चीज़ दिखाई गई है जो इस चित्र में है:
oneclick_reference_alt=संदर्भ चित्र। नीचे दिए गए चित्रों (कुल {count}) में से एक में वही चीज़ दिखाई गई है।
multiclick_prompt=वे सभी चित्र चुनें जिनमें वही चीज़ दिखाई गई है जो इस चित्र में है, फिर "जारी रखें" दबाएँ।
multiclick_reference_alt=संदर्भ चित्र। नीचे दिए गए चित्रों (कुल {count}) में से कुछ में वही चीज़ दिखाई गई है।
multiclick_legend=वही चीज़ दिखाने वाले चित्र
candidate_alt={count} में से चित्र {index}
audio_prompt=रिकॉर्डिंग सुनें और सुनाई देने वाले {count} अंक लिखें।
audio_hard_prompt=रिकॉर्डिंग भी सुनें और सुनाई देने वाले {count} अंक लिखें।
audio_label=अंक
audio_unsupported=आपका ब्राउज़र यह रिकॉर्डिंग नहीं चला सकता।
audio_alternative=चित्र नहीं दिख रहे? ऑडियो चुनौती का उपयोग करें
visual_alternative=सुन नहीं सकते? चित्र चुनौती का उपयोग करें
error_wrong=यह सही नहीं था, कृपया फिर से प्रयास करें।
error_expired=उस चुनौती की समय-सीमा समाप्त हो गई थी। यह रही नई चुनौती।
error_spent=वह चुनौती पहले ही इस्तेमाल हो चुकी थी। यह रही नई चुनौती।
error_harder=इस पेज के लिए अधिक कठिन चुनौती की आवश्यकता है। यह रही वह चुनौती।
error_bad_input=आपका उत्तर पढ़ा नहीं जा सका। कृपया फिर से प्रयास करें।
footer_full=Captchaify द्वारा सुरक्षित, जो एक सेल्फ़-होस्टेड कैप्चा है। कोई तीसरा पक्ष आपकी विज़िट नहीं देखता।
footer_short=Captchaify द्वारा सुरक्षित।
blocked_title=पहुँच अवरुद्ध
blocked_heading=पहुँच अवरुद्ध
blocked_sorry=क्षमा करें, आप अभी यह पेज नहीं देख सकते।
blocked_suspicious=यह पेज स्वचालित या गुमनाम विज़िट स्वीकार नहीं करता।
blocked_lockout=बहुत अधिक गलत उत्तर। कृपया बाद में फिर से प्रयास करें।
blocked_vpn=अगर आप VPN या प्रॉक्सी का उपयोग करते हैं, तो उसे बंद करने से मदद मिल सकती है।
blocked_home=मुख्य पेज पर वापस जाएँ
ratelimited_title=बहुत अधिक अनुरोध
ratelimited_heading=एक कप चाय पी लीजिए
ratelimited_text=आपने पिछले एक मिनट में बहुत अधिक अनुरोध भेजे हैं। कृपया {seconds} सेकंड प्रतीक्षा करें, फिर दोबारा प्रयास करें।
ratelimited_retry=पेज रीफ़्रेश करें
language_link=भाषा
language_title=अपनी भाषा चुनें
language_heading=अपनी भाषा चुनें
language_search_label=भाषा खोजें
language_search_button=खोजें
language_no_match=आपकी खोज से मेल खाने वाली कोई भाषा नहीं मिली।
language_show_all=सभी भाषाएँ दिखाएँ
language_back=भाषा बदले बिना वापस जाएँ
theme_link_dark=डार्क थीम
theme_link_light=लाइट थीम
`
