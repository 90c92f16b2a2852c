package assets

// LangUk translates LangEN (i18n_en.go) into Українська.
const LangUk = `code=uk
name=Українська
dir=ltr
challenge_title=Хвилинку, будь ласка
challenge_heading=Ви людина?
text_prompt=Щоб продовжити, введіть символи з картинки (усього символів: {count}). Регістр літер не має значення.
text_alt=Спотворені символи, які потрібно ввести в поле нижче
text_label=Символи
button_continue=Продовжити
oneclick_prompt=Виберіть картинку, на якій зображено те саме, що й на цій:
oneclick_reference_alt=Зразок. На одній із картинок нижче (усього картинок: {count}) зображено те саме.
multiclick_prompt=Виберіть усі картинки, на яких зображено те саме, що й на цій, і натисніть «Продовжити».
multiclick_reference_alt=Зразок. На деяких картинках нижче (усього картинок: {count}) зображено те саме.
multiclick_legend=Відповідні картинки
candidate_alt=Картинка {index} з {count}
audio_prompt=Прослухайте запис і введіть почуті цифри (усього цифр: {count}).
audio_hard_prompt=Також прослухайте запис і введіть почуті цифри (усього цифр: {count}).
audio_label=Цифри
audio_unsupported=Ваш браузер не може відтворити цей запис.
audio_alternative=Не бачите картинок? Скористайтеся аудіоперевіркою
visual_alternative=Не можете прослухати запис? Скористайтеся перевіркою з картинками
error_wrong=Неправильно. Спробуйте ще раз.
error_expired=Термін дії перевірки минув. Ось нова.
error_spent=Цю перевірку вже використано. Ось нова.
error_harder=Для цієї сторінки потрібна складніша перевірка. Ось вона.
error_bad_input=Не вдалося прочитати вашу відповідь. Спробуйте ще раз.
footer_full=Захищено за допомогою Captchaify — капчі, розміщеної на власному сервері сайту. Сторонні сервіси не бачать вашого відвідування.
footer_short=Захищено за допомогою Captchaify.
blocked_title=Доступ заблоковано
blocked_heading=Доступ заблоковано
blocked_sorry=На жаль, зараз ви не можете переглянути цю сторінку.
blocked_suspicious=Ця сторінка не приймає автоматизованих або анонімних відвідувань.
blocked_lockout=Забагато неправильних відповідей. Спробуйте пізніше.
blocked_vpn=Якщо ви користуєтеся VPN або проксі, спробуйте його вимкнути.
blocked_home=Повернутися на головну сторінку
ratelimited_title=Забагато запитів
ratelimited_heading=Випийте чашку чаю
ratelimited_text=За останню хвилину ви надіслали забагато запитів. Зачекайте {seconds} с і спробуйте ще раз.
ratelimited_retry=Оновити сторінку
language_link=Мова
language_title=Виберіть мову
language_heading=Виберіть мову
language_search_label=Пошук мови
language_search_button=Шукати
language_no_match=За вашим запитом мов не знайдено.
language_show_all=Показати всі мови
language_back=Повернутися без зміни мови
theme_link_dark=Темна тема
theme_link_light=Світла тема
`
