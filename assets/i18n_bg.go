package assets

// LangBg translates LangEN (i18n_en.go) into Български.
const LangBg = `code=bg
name=Български
dir=ltr
challenge_title=Момент, моля
challenge_heading=Човек ли сте?
text_prompt=За да продължите, въведете символите от картинката (брой символи: {count}). Главните и малките букви нямат значение.
text_alt=Изкривени символи, които да въведете в полето по-долу
text_label=Символи
button_continue=Продължи
oneclick_prompt=Изберете картинката, на която е изобразено същото като на тази:
oneclick_reference_alt=Образец. На една от картинките по-долу (общо {count}) е изобразено същото.
multiclick_prompt=Изберете всички картинки, на които е изобразено същото като на тази, и натиснете „Продължи“.
multiclick_reference_alt=Образец. На някои от картинките по-долу (общо {count}) е изобразено същото.
multiclick_legend=Съвпадащи картинки
candidate_alt=Картинка {index} от {count}
audio_prompt=Изслушайте записа и въведете цифрите, които чувате (брой цифри: {count}).
audio_hard_prompt=Изслушайте също записа и въведете цифрите, които чувате (брой цифри: {count}).
audio_label=Цифри
audio_unsupported=Браузърът ви не може да възпроизведе този запис.
audio_alternative=Не виждате картинките? Използвайте аудиопроверка
visual_alternative=Не можете да слушате? Използвайте проверка с картинки
error_wrong=Отговорът не е верен. Моля, опитайте отново.
error_expired=Тази проверка е изтекла. Ето нова.
error_spent=Тази проверка вече е използвана. Ето нова.
error_harder=Тази страница изисква по-трудна проверка. Ето я.
error_bad_input=Отговорът ви не можа да бъде прочетен. Моля, опитайте отново.
footer_full=Защитено с Captchaify – капча, хоствана на собствения сървър на сайта. Никоя трета страна не вижда посещението ви.
footer_short=Защитено с Captchaify.
blocked_title=Достъпът е блокиран
blocked_heading=Достъпът е блокиран
blocked_sorry=За съжаление в момента не можете да видите тази страница.
blocked_suspicious=Тази страница не приема автоматизирани или анонимни посещения.
blocked_lockout=Твърде много грешни отговори. Моля, опитайте отново по-късно.
blocked_vpn=Ако използвате VPN или прокси, изключването му може да помогне.
blocked_home=Към началната страница
ratelimited_title=Твърде много заявки
ratelimited_heading=Изпийте чаша чай
ratelimited_text=През последната минута изпратихте твърде много заявки. Моля, изчакайте {seconds} сек. и опитайте отново.
ratelimited_retry=Презареди страницата
language_link=Език
language_title=Изберете език
language_heading=Изберете език
language_search_label=Търсене на език
language_search_button=Търсене
language_no_match=Няма език, който да отговаря на търсенето ви.
language_show_all=Покажи всички езици
language_back=Назад, без да сменяте езика
theme_link_dark=Тъмна тема
theme_link_light=Светла тема
`
