package assets

// LangRu translates LangEN (i18n_en.go) into Русский.
const LangRu = `code=ru
name=Русский
dir=ltr
challenge_title=Одну минуту, пожалуйста
challenge_heading=Вы человек?
text_prompt=Чтобы продолжить, введите символы с картинки (всего символов: {count}). Регистр букв не важен.
text_alt=Искажённые символы, которые нужно ввести в поле ниже
text_label=Символы
button_continue=Продолжить
oneclick_prompt=Выберите картинку, на которой изображено то же, что и на этой:
oneclick_reference_alt=Образец. На одной из картинок ниже (всего картинок: {count}) изображено то же самое.
multiclick_prompt=Выберите все картинки, на которых изображено то же, что и на этой, и нажмите «Продолжить».
multiclick_reference_alt=Образец. На некоторых картинках ниже (всего картинок: {count}) изображено то же самое.
multiclick_legend=Подходящие картинки
candidate_alt=Картинка {index} из {count}
audio_prompt=Прослушайте запись и введите услышанные цифры (всего цифр: {count}).
audio_hard_prompt=Также прослушайте запись и введите услышанные цифры (всего цифр: {count}).
audio_label=Цифры
audio_unsupported=Ваш браузер не может воспроизвести эту запись.
audio_alternative=Не видите картинки? Пройдите аудиопроверку
visual_alternative=Не можете прослушать запись? Пройдите проверку с картинками
error_wrong=Неверно. Попробуйте ещё раз.
error_expired=Срок действия проверки истёк. Вот новая.
error_spent=Эта проверка уже была использована. Вот новая.
error_harder=Для этой страницы нужна более сложная проверка. Вот она.
error_bad_input=Не удалось прочитать ваш ответ. Попробуйте ещё раз.
footer_full=Защищено с помощью Captchaify — капчи, размещённой на собственном сервере сайта. Сторонние сервисы не видят ваш визит.
footer_short=Защищено с помощью Captchaify.
blocked_title=Доступ заблокирован
blocked_heading=Доступ заблокирован
blocked_sorry=К сожалению, сейчас вы не можете просмотреть эту страницу.
blocked_suspicious=Эта страница не принимает автоматические и анонимные посещения.
blocked_lockout=Слишком много неверных ответов. Попробуйте позже.
blocked_vpn=Если вы используете VPN или прокси, попробуйте его отключить.
blocked_home=Вернуться на главную страницу
ratelimited_title=Слишком много запросов
ratelimited_heading=Выпейте чашечку чая
ratelimited_text=За последнюю минуту вы отправили слишком много запросов. Подождите {seconds} сек. и попробуйте снова.
ratelimited_retry=Обновить страницу
language_link=Язык
language_title=Выберите язык
language_heading=Выберите язык
language_search_label=Поиск языка
language_search_button=Найти
language_no_match=По вашему запросу языков не найдено.
language_show_all=Показать все языки
language_back=Вернуться, не меняя язык
theme_link_dark=Тёмная тема
theme_link_light=Светлая тема
`
