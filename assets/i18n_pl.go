package assets

// LangPl translates LangEN (i18n_en.go) into Polski.
const LangPl = `code=pl
name=Polski
dir=ltr
challenge_title=Chwileczkę
challenge_heading=Czy jesteś człowiekiem?
text_prompt=Aby przejść dalej, przepisz znaki z obrazka (liczba znaków: {count}). Wielkość liter nie ma znaczenia.
text_alt=Zniekształcone znaki do wpisania w polu poniżej
text_label=Znaki
button_continue=Dalej
oneclick_prompt=Wybierz obrazek z tym samym motywem co ten:
oneclick_reference_alt=Obrazek wzorcowy. Jeden z obrazków poniżej (liczba obrazków: {count}) ma ten sam motyw.
multiclick_prompt=Zaznacz wszystkie obrazki z tym samym motywem co ten, a potem kliknij „Dalej”.
multiclick_reference_alt=Obrazek wzorcowy. Niektóre z obrazków poniżej (liczba obrazków: {count}) mają ten sam motyw.
multiclick_legend=Obrazki z tym samym motywem
candidate_alt=Obrazek {index} z {count}
audio_prompt=Odsłuchaj nagranie i wpisz usłyszane cyfry (liczba cyfr: {count}).
audio_hard_prompt=Odsłuchaj też nagranie i wpisz usłyszane cyfry (liczba cyfr: {count}).
audio_label=Cyfry
audio_unsupported=Twoja przeglądarka nie może odtworzyć tego nagrania.
audio_alternative=Nie widzisz obrazków? Skorzystaj z zadania dźwiękowego
visual_alternative=Nie możesz odsłuchać nagrania? Skorzystaj z zadania z obrazkami
error_wrong=Niestety to nie jest poprawna odpowiedź. Spróbuj ponownie.
error_expired=To zadanie wygasło. Oto nowe.
error_spent=To zadanie zostało już wykorzystane. Oto nowe.
error_harder=Ta strona wymaga trudniejszego zadania. Oto ono.
error_bad_input=Nie udało się odczytać odpowiedzi. Spróbuj ponownie.
footer_full=Chronione przez Captchaify – captchę działającą na własnym serwerze strony. Żadna firma zewnętrzna nie widzi Twojej wizyty.
footer_short=Chronione przez Captchaify.
blocked_title=Dostęp zablokowany
blocked_heading=Dostęp zablokowany
blocked_sorry=Przepraszamy, w tej chwili nie możesz wyświetlić tej strony.
blocked_suspicious=Ta strona nie przyjmuje automatycznych ani anonimowych wizyt.
blocked_lockout=Zbyt wiele błędnych odpowiedzi. Spróbuj ponownie później.
blocked_vpn=Jeśli korzystasz z VPN lub serwera proxy, jego wyłączenie może pomóc.
blocked_home=Wróć do strony głównej
ratelimited_title=Zbyt wiele żądań
ratelimited_heading=Czas na filiżankę herbaty
ratelimited_text=W ciągu ostatniej minuty wysłano zbyt wiele żądań. Odczekaj {seconds} s i spróbuj ponownie.
ratelimited_retry=Odśwież stronę
language_link=Język
language_title=Wybierz język
language_heading=Wybierz język
language_search_label=Wyszukaj język
language_search_button=Szukaj
language_no_match=Żaden język nie pasuje do wyszukiwania.
language_show_all=Pokaż wszystkie języki
language_back=Wróć bez zmiany języka
theme_link_dark=Tryb ciemny
theme_link_light=Tryb jasny
`
