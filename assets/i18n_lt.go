package assets

// LangLt translates LangEN (i18n_en.go) into Lietuvių.
const LangLt = `code=lt
name=Lietuvių
dir=ltr
challenge_title=Prašome palaukti akimirką
challenge_heading=Ar jūs žmogus?
text_prompt=Norėdami tęsti, įveskite paveikslėlyje matomus simbolius (iš viso: {count}). Raidžių dydis nesvarbus.
text_alt=Iškraipyti simboliai, kuriuos reikia įvesti į toliau esantį lauką
text_label=Simboliai
button_continue=Tęsti
oneclick_prompt=Pasirinkite paveikslėlį, kuriame pavaizduotas toks pat motyvas kaip šiame:
oneclick_reference_alt=Pavyzdinis paveikslėlis. Viename iš toliau pateiktų paveikslėlių (iš viso: {count}) pavaizduotas toks pat motyvas.
multiclick_prompt=Pasirinkite visus paveikslėlius, kuriuose pavaizduotas toks pat motyvas kaip šiame, tada spustelėkite „Tęsti“.
multiclick_reference_alt=Pavyzdinis paveikslėlis. Keliuose iš toliau pateiktų paveikslėlių (iš viso: {count}) pavaizduotas toks pat motyvas.
multiclick_legend=Paveikslėliai su tokiu pačiu motyvu
candidate_alt=Paveikslėlis {index} iš {count}
audio_prompt=Paklausykite įrašo ir įveskite girdimus skaitmenis (iš viso: {count}).
audio_hard_prompt=Taip pat paklausykite įrašo ir įveskite girdimus skaitmenis (iš viso: {count}).
audio_label=Skaitmenys
audio_unsupported=Jūsų naršyklė negali atkurti šio įrašo.
audio_alternative=Nematote paveikslėlių? Naudokite garso užduotį
visual_alternative=Negalite klausytis? Naudokite paveikslėlių užduotį
error_wrong=Neteisingai. Bandykite dar kartą.
error_expired=Šios užduoties galiojimas baigėsi. Štai nauja užduotis.
error_spent=Ši užduotis jau buvo panaudota. Štai nauja užduotis.
error_harder=Šiam puslapiui reikia sunkesnės užduoties. Štai ji.
error_bad_input=Nepavyko nuskaityti jūsų atsakymo. Bandykite dar kartą.
footer_full=Saugo Captchaify – savarankiškai talpinama CAPTCHA sistema. Jūsų apsilankymo nemato jokios trečiosios šalys.
footer_short=Saugo Captchaify.
blocked_title=Prieiga užblokuota
blocked_heading=Prieiga užblokuota
blocked_sorry=Atsiprašome, šiuo metu negalite peržiūrėti šio puslapio.
blocked_suspicious=Šis puslapis nepriima automatizuotų ar anoniminių apsilankymų.
blocked_lockout=Per daug neteisingų atsakymų. Bandykite vėliau.
blocked_vpn=Jei naudojate VPN arba tarpinį serverį, gali padėti jį išjungti.
blocked_home=Grįžti į pagrindinį puslapį
ratelimited_title=Per daug užklausų
ratelimited_heading=Išgerkite puodelį arbatos
ratelimited_text=Per pastarąją minutę išsiuntėte per daug užklausų. Palaukite {seconds} s ir bandykite dar kartą.
ratelimited_retry=Atnaujinti puslapį
language_link=Kalba
language_title=Pasirinkite kalbą
language_heading=Pasirinkite kalbą
language_search_label=Ieškoti kalbos
language_search_button=Ieškoti
language_no_match=Pagal jūsų paiešką kalbų nerasta.
language_show_all=Rodyti visas kalbas
language_back=Grįžti nekeičiant kalbos
theme_link_dark=Tamsi tema
theme_link_light=Šviesi tema
`
