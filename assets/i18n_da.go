package assets

// LangDa translates LangEN (i18n_en.go) into Dansk.
const LangDa = `code=da
name=Dansk
dir=ltr
challenge_title=Et øjeblik
challenge_heading=Er du et menneske?
text_prompt=Skriv de {count} tegn, du ser på billedet, for at fortsætte. Det er ligegyldigt, om du bruger store eller små bogstaver.
text_alt=Forvrængede tegn, der skal skrives i feltet nedenfor
text_label=Tegn
button_continue=Fortsæt
oneclick_prompt=Vælg det billede, der viser samme motiv som dette:
oneclick_reference_alt=Referencebilledet. Et af de {count} billeder nedenfor viser samme motiv.
multiclick_prompt=Vælg alle billeder, der viser samme motiv som dette, og tryk derefter på Fortsæt.
multiclick_reference_alt=Referencebilledet. Nogle af de {count} billeder nedenfor viser samme motiv.
multiclick_legend=Billeder med samme motiv
candidate_alt=Billede {index} af {count}
audio_prompt=Lyt til optagelsen, og skriv de {count} cifre, du hører.
audio_hard_prompt=Lyt også til optagelsen, og skriv de {count} cifre, du hører.
audio_label=Cifre
audio_unsupported=Din browser kan ikke afspille denne optagelse.
audio_alternative=Kan du ikke se billederne? Brug en opgave med lyd
visual_alternative=Kan du ikke lytte? Brug en opgave med billeder
error_wrong=Det var ikke rigtigt. Prøv igen.
error_expired=Opgaven var udløbet. Her er en ny.
error_spent=Opgaven var allerede brugt. Her er en ny.
error_harder=Denne side kræver en sværere opgave. Her er den.
error_bad_input=Dit svar kunne ikke læses. Prøv igen.
footer_full=Beskyttet af Captchaify, en selvhostet captcha. Ingen tredjepart ser dit besøg.
footer_short=Beskyttet af Captchaify.
blocked_title=Adgang blokeret
blocked_heading=Adgang blokeret
blocked_sorry=Du kan desværre ikke se denne side lige nu.
blocked_suspicious=Denne side accepterer ikke automatiserede eller anonyme besøg.
blocked_lockout=For mange forkerte svar. Prøv igen senere.
blocked_vpn=Hvis du bruger en VPN eller proxy, kan det hjælpe at slå den fra.
blocked_home=Tilbage til forsiden
ratelimited_title=For mange anmodninger
ratelimited_heading=Tag en kop te
ratelimited_text=Du har sendt for mange anmodninger inden for det seneste minut. Vent {seconds} sek., og prøv så igen.
ratelimited_retry=Genindlæs siden
language_link=Sprog
language_title=Vælg sprog
language_heading=Vælg sprog
language_search_label=Søg efter et sprog
language_search_button=Søg
language_no_match=Intet sprog matcher din søgning.
language_show_all=Vis alle sprog
language_back=Tilbage uden at skifte sprog
theme_link_dark=Mørkt tema
theme_link_light=Lyst tema
`
