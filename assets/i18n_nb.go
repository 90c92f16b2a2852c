package assets

// LangNb translates LangEN (i18n_en.go) into Norsk bokmål.
const LangNb = `code=nb
name=Norsk bokmål
dir=ltr
challenge_title=Et øyeblikk
challenge_heading=Er du et menneske?
text_prompt=Skriv inn de {count} tegnene du ser på bildet, for å fortsette. Det spiller ingen rolle om du bruker store eller små bokstaver.
text_alt=Forvrengte tegn som skal skrives inn i feltet nedenfor
text_label=Tegn
button_continue=Fortsett
oneclick_prompt=Velg bildet som viser samme motiv som dette:
oneclick_reference_alt=Referansebildet. Ett av de {count} bildene nedenfor viser samme motiv.
multiclick_prompt=Velg alle bildene som viser samme motiv som dette, og trykk deretter på Fortsett.
multiclick_reference_alt=Referansebildet. Noen av de {count} bildene nedenfor viser samme motiv.
multiclick_legend=Bilder med samme motiv
candidate_alt=Bilde {index} av {count}
audio_prompt=Lytt til opptaket og skriv inn de {count} sifrene du hører.
audio_hard_prompt=Lytt også til opptaket og skriv inn de {count} sifrene du hører.
audio_label=Sifre
audio_unsupported=Nettleseren din kan ikke spille av dette opptaket.
audio_alternative=Ser du ikke bildene? Bruk en lydoppgave
visual_alternative=Kan du ikke lytte? Bruk en bildeoppgave
error_wrong=Det var ikke riktig. Prøv igjen.
error_expired=Oppgaven var utløpt. Her er en ny.
error_spent=Oppgaven var allerede brukt. Her er en ny.
error_harder=Denne siden krever en vanskeligere oppgave. Her er den.
error_bad_input=Svaret ditt kunne ikke leses. Prøv igjen.
footer_full=Beskyttet av Captchaify, en selvhostet captcha. Ingen tredjepart ser besøket ditt.
footer_short=Beskyttet av Captchaify.
blocked_title=Tilgang blokkert
blocked_heading=Tilgang blokkert
blocked_sorry=Beklager, du kan ikke se denne siden akkurat nå.
blocked_suspicious=Denne siden godtar ikke automatiserte eller anonyme besøk.
blocked_lockout=For mange feil svar. Prøv igjen senere.
blocked_vpn=Hvis du bruker VPN eller proxy, kan det hjelpe å slå den av.
blocked_home=Tilbake til forsiden
ratelimited_title=For mange forespørsler
ratelimited_heading=Ta deg en kopp te
ratelimited_text=Du har sendt for mange forespørsler det siste minuttet. Vent {seconds} sek. og prøv igjen.
ratelimited_retry=Last inn siden på nytt
language_link=Språk
language_title=Velg språk
language_heading=Velg språk
language_search_label=Søk etter et språk
language_search_button=Søk
language_no_match=Ingen språk samsvarer med søket ditt.
language_show_all=Vis alle språk
language_back=Tilbake uten å endre språk
theme_link_dark=Mørkt tema
theme_link_light=Lyst tema
`
