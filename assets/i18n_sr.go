package assets

// LangSr translates LangEN (i18n_en.go) into Српски.
const LangSr = `code=sr
name=Српски
dir=ltr
challenge_title=Само тренутак
challenge_heading=Да ли сте човек?
text_prompt=Да бисте наставили, унесите знакове са слике (број знакова: {count}). Велика и мала слова нису битна.
text_alt=Изобличени знакови које треба унети у поље испод
text_label=Знакови
button_continue=Настави
oneclick_prompt=Изаберите слику са истим мотивом као ова:
oneclick_reference_alt=Референтна слика. Једна од слика испод (укупно {count}) приказује исти мотив.
multiclick_prompt=Изаберите све слике са истим мотивом као ова, а затим притисните Настави.
multiclick_reference_alt=Референтна слика. Неке од слика испод (укупно {count}) приказују исти мотив.
multiclick_legend=Слике са истим мотивом
candidate_alt=Слика {index} од {count}
audio_prompt=Преслушајте снимак и унесите цифре које чујете (број цифара: {count}).
audio_hard_prompt=Такође преслушајте снимак и унесите цифре које чујете (број цифара: {count}).
audio_label=Цифре
audio_unsupported=Ваш прегледач не може да пусти овај снимак.
audio_alternative=Не видите слике? Користите звучну проверу
visual_alternative=Не можете да слушате? Користите проверу са сликама
error_wrong=То није било тачно. Покушајте поново.
error_expired=Та провера је истекла. Ево нове.
error_spent=Та провера је већ искоришћена. Ево нове.
error_harder=Ова страница захтева тежу проверу. Ево је.
error_bad_input=Ваш одговор није могуће прочитати. Покушајте поново.
footer_full=Заштиту пружа Captchaify, капча на сопственом серверу сајта. Ниједна трећа страна не види вашу посету.
footer_short=Заштиту пружа Captchaify.
blocked_title=Приступ блокиран
blocked_heading=Приступ блокиран
blocked_sorry=Нажалост, тренутно не можете да видите ову страницу.
blocked_suspicious=Ова страница не прихвата аутоматизоване ни анонимне посете.
blocked_lockout=Превише нетачних одговора. Покушајте поново касније.
blocked_vpn=Ако користите VPN или прокси, можда ће помоћи да га искључите.
blocked_home=Назад на почетну страницу
ratelimited_title=Превише захтева
ratelimited_heading=Попијте шољу чаја
ratelimited_text=У последњем минуту сте послали превише захтева. Сачекајте {seconds} с, па покушајте поново.
ratelimited_retry=Освежи страницу
language_link=Језик
language_title=Изаберите језик
language_heading=Изаберите језик
language_search_label=Потражите језик
language_search_button=Претражи
language_no_match=Ниједан језик не одговара вашој претрази.
language_show_all=Прикажи све језике
language_back=Назад без промене језика
theme_link_dark=Тамна тема
theme_link_light=Светла тема
`
