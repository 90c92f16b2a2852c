package assets

// LangCa translates LangEN (i18n_en.go) into Català.
const LangCa = `code=ca
name=Català
dir=ltr
challenge_title=Un moment, si us plau
challenge_heading=Sou una persona?
text_prompt=Per continuar, escriviu els caràcters que veieu a la imatge (n'hi ha {count}). No importa si són majúscules o minúscules.
text_alt=Caràcters distorsionats que cal escriure al camp de sota
text_label=Caràcters
button_continue=Continua
oneclick_prompt=Seleccioneu la imatge que mostra el mateix motiu que aquesta:
oneclick_reference_alt=La imatge de referència. Una de les imatges de sota (n'hi ha {count}) mostra el mateix motiu.
multiclick_prompt=Seleccioneu totes les imatges que mostren el mateix motiu que aquesta i després premeu Continua.
multiclick_reference_alt=La imatge de referència. Algunes de les imatges de sota (n'hi ha {count}) mostren el mateix motiu.
multiclick_legend=Imatges amb el mateix motiu
candidate_alt=Imatge {index} de {count}
audio_prompt=Escolteu l'enregistrament i escriviu els dígits que sentiu (n'hi ha {count}).
audio_hard_prompt=Escolteu també l'enregistrament i escriviu els dígits que sentiu (n'hi ha {count}).
audio_label=Dígits
audio_unsupported=El vostre navegador no pot reproduir aquest enregistrament.
audio_alternative=No veieu les imatges? Feu servir un repte d'àudio
visual_alternative=No podeu escoltar? Feu servir un repte d'imatges
error_wrong=No és correcte. Torneu-ho a provar.
error_expired=Aquell repte havia caducat. Aquí en teniu un de nou.
error_spent=Aquell repte ja s'havia fet servir. Aquí en teniu un de nou.
error_harder=Aquesta pàgina necessita un repte més difícil. Aquí el teniu.
error_bad_input=No s'ha pogut llegir la vostra resposta. Torneu-ho a provar.
footer_full=Protegit per Captchaify, un captcha autoallotjat. Cap tercera part no veu la vostra visita.
footer_short=Protegit per Captchaify.
blocked_title=Accés bloquejat
blocked_heading=Accés bloquejat
blocked_sorry=Ho sentim, ara mateix no podeu veure aquesta pàgina.
blocked_suspicious=Aquesta pàgina no accepta visites automatitzades ni anònimes.
blocked_lockout=Massa respostes incorrectes. Torneu-ho a provar més tard.
blocked_vpn=Si feu servir una VPN o un servidor intermediari, desactivar-lo pot ajudar.
blocked_home=Torna a la pàgina principal
ratelimited_title=Massa sol·licituds
ratelimited_heading=Preneu-vos una tassa de te
ratelimited_text=Heu enviat massa sol·licituds en l'últim minut. Espereu {seconds} s i torneu-ho a provar.
ratelimited_retry=Actualitza la pàgina
language_link=Llengua
language_title=Trieu la llengua
language_heading=Trieu la llengua
language_search_label=Cerqueu una llengua
language_search_button=Cerca
language_no_match=Cap llengua no coincideix amb la cerca.
language_show_all=Mostra totes les llengües
language_back=Torna sense canviar la llengua
theme_link_dark=Tema fosc
theme_link_light=Tema clar
`
