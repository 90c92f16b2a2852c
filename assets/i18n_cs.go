package assets

// LangCs translates LangEN (i18n_en.go) into Čeština.
const LangCs = `code=cs
name=Čeština
dir=ltr
challenge_title=Okamžik, prosím
challenge_heading=Jste člověk?
text_prompt=Chcete-li pokračovat, opište znaky z obrázku (počet znaků: {count}). Na velikosti písmen nezáleží.
text_alt=Zkreslené znaky, které je třeba opsat do pole níže
text_label=Znaky
button_continue=Pokračovat
oneclick_prompt=Vyberte obrázek se stejným motivem jako tento:
oneclick_reference_alt=Vzorový obrázek. Jeden z obrázků níže (celkem {count}) má stejný motiv.
multiclick_prompt=Vyberte všechny obrázky se stejným motivem jako tento a potom klikněte na Pokračovat.
multiclick_reference_alt=Vzorový obrázek. Některé z obrázků níže (celkem {count}) mají stejný motiv.
multiclick_legend=Obrázky se stejným motivem
candidate_alt=Obrázek {index} z {count}
audio_prompt=Poslechněte si nahrávku a zadejte číslice, které uslyšíte (počet číslic: {count}).
audio_hard_prompt=Poslechněte si také nahrávku a zadejte číslice, které uslyšíte (počet číslic: {count}).
audio_label=Číslice
audio_unsupported=Váš prohlížeč tuto nahrávku neumí přehrát.
audio_alternative=Nevidíte obrázky? Použijte zvukové ověření
visual_alternative=Nemůžete poslouchat? Použijte obrázkové ověření
error_wrong=To nebylo správně. Zkuste to prosím znovu.
error_expired=Platnost ověření vypršela. Tady je nové.
error_spent=Toto ověření už bylo použito. Tady je nové.
error_harder=Tato stránka vyžaduje obtížnější ověření. Tady je.
error_bad_input=Vaši odpověď se nepodařilo přečíst. Zkuste to prosím znovu.
footer_full=Chráněno pomocí Captchaify, captchy provozované na vlastním serveru webu. Vaši návštěvu nevidí žádná třetí strana.
footer_short=Chráněno pomocí Captchaify.
blocked_title=Přístup zablokován
blocked_heading=Přístup zablokován
blocked_sorry=Je nám líto, ale tuto stránku teď nemůžete zobrazit.
blocked_suspicious=Tato stránka nepřijímá automatizované ani anonymní návštěvy.
blocked_lockout=Příliš mnoho chybných odpovědí. Zkuste to prosím později.
blocked_vpn=Pokud používáte VPN nebo proxy, může pomoci jeho vypnutí.
blocked_home=Zpět na hlavní stránku
ratelimited_title=Příliš mnoho požadavků
ratelimited_heading=Dejte si šálek čaje
ratelimited_text=Za poslední minutu jste odeslali příliš mnoho požadavků. Počkejte prosím {seconds} s a zkuste to znovu.
ratelimited_retry=Obnovit stránku
language_link=Jazyk
language_title=Vyberte jazyk
language_heading=Vyberte jazyk
language_search_label=Hledat jazyk
language_search_button=Hledat
language_no_match=Vašemu hledání neodpovídá žádný jazyk.
language_show_all=Zobrazit všechny jazyky
language_back=Zpět bez změny jazyka
theme_link_dark=Tmavý režim
theme_link_light=Světlý režim
`
