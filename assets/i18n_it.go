package assets

// LangIt translates LangEN (i18n_en.go) into Italiano.
const LangIt = `code=it
name=Italiano
dir=ltr
challenge_title=Un momento, per favore
challenge_heading=Sei una persona?
text_prompt=Per continuare, digita i {count} caratteri che vedi nell'immagine. Maiuscole e minuscole sono equivalenti.
text_alt=Caratteri distorti da digitare nel campo qui sotto
text_label=Caratteri
button_continue=Continua
oneclick_prompt=Seleziona l'immagine che mostra lo stesso soggetto di questa:
oneclick_reference_alt=L'immagine di riferimento. Una delle {count} immagini qui sotto mostra lo stesso soggetto.
multiclick_prompt=Seleziona tutte le immagini che mostrano lo stesso soggetto di questa, poi premi Continua.
multiclick_reference_alt=L'immagine di riferimento. Alcune delle {count} immagini qui sotto mostrano lo stesso soggetto.
multiclick_legend=Immagini con lo stesso soggetto
candidate_alt=Immagine {index} di {count}
audio_prompt=Ascolta la registrazione e digita le {count} cifre che senti.
audio_hard_prompt=Ascolta anche la registrazione e digita le {count} cifre che senti.
audio_label=Cifre
audio_unsupported=Il tuo browser non riesce a riprodurre questa registrazione.
audio_alternative=Non riesci a vedere le immagini? Usa una verifica audio
visual_alternative=Non riesci ad ascoltare? Usa una verifica con immagini
error_wrong=Risposta non corretta, riprova.
error_expired=La verifica era scaduta. Eccone una nuova.
error_spent=Questa verifica era già stata usata. Eccone una nuova.
error_harder=Questa pagina richiede una verifica più difficile. Eccola.
error_bad_input=Non è stato possibile leggere la tua risposta. Riprova.
footer_full=Protetto da Captchaify, un captcha ospitato in proprio. Nessuna terza parte vede la tua visita.
footer_short=Protetto da Captchaify.
blocked_title=Accesso bloccato
blocked_heading=Accesso bloccato
blocked_sorry=Spiacenti, al momento non puoi visualizzare questa pagina.
blocked_suspicious=Questa pagina non accetta visite automatizzate o anonime.
blocked_lockout=Troppe risposte errate. Riprova più tardi.
blocked_vpn=Se usi una VPN o un proxy, potrebbe essere utile disattivarlo.
blocked_home=Torna alla pagina principale
ratelimited_title=Troppe richieste
ratelimited_heading=Concediti una tazza di tè
ratelimited_text=Hai inviato troppe richieste nell'ultimo minuto. Attendi {seconds} s, poi riprova.
ratelimited_retry=Aggiorna la pagina
language_link=Lingua
language_title=Scegli la tua lingua
language_heading=Scegli la tua lingua
language_search_label=Cerca una lingua
language_search_button=Cerca
language_no_match=Nessuna lingua corrisponde alla ricerca.
language_show_all=Mostra tutte le lingue
language_back=Torna indietro senza cambiare lingua
theme_link_dark=Tema scuro
theme_link_light=Tema chiaro
`
