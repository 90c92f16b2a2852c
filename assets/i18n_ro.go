package assets

// LangRo translates LangEN (i18n_en.go) into Română.
const LangRo = `code=ro
name=Română
dir=ltr
challenge_title=Un moment, vă rugăm
challenge_heading=Sunteți o persoană reală?
text_prompt=Pentru a continua, introduceți caracterele din imagine (în total: {count}). Nu contează dacă folosiți majuscule sau minuscule.
text_alt=Caractere distorsionate de introdus în câmpul de mai jos
text_label=Caractere
button_continue=Continuați
oneclick_prompt=Selectați imaginea care arată același subiect ca aceasta:
oneclick_reference_alt=Imaginea de referință. Una dintre imaginile de mai jos (în total: {count}) arată același subiect.
multiclick_prompt=Selectați toate imaginile care arată același subiect ca aceasta, apoi apăsați Continuați.
multiclick_reference_alt=Imaginea de referință. Unele dintre imaginile de mai jos (în total: {count}) arată același subiect.
multiclick_legend=Imagini cu același subiect
candidate_alt=Imaginea {index} din {count}
audio_prompt=Ascultați înregistrarea și introduceți cifrele pe care le auziți (în total: {count}).
audio_hard_prompt=Ascultați și înregistrarea și introduceți cifrele pe care le auziți (în total: {count}).
audio_label=Cifre
audio_unsupported=Browserul dvs. nu poate reda această înregistrare.
audio_alternative=Nu vedeți imaginile? Folosiți o verificare audio
visual_alternative=Nu puteți asculta? Folosiți o verificare cu imagini
error_wrong=Răspunsul nu este corect. Vă rugăm să încercați din nou.
error_expired=Verificarea expirase. Iată una nouă.
error_spent=Verificarea fusese deja folosită. Iată una nouă.
error_harder=Această pagină necesită o verificare mai dificilă. Iat-o.
error_bad_input=Răspunsul dvs. nu a putut fi citit. Vă rugăm să încercați din nou.
footer_full=Protejat de Captchaify, un captcha găzduit pe serverul propriu al site-ului. Nicio terță parte nu vă vede vizita.
footer_short=Protejat de Captchaify.
blocked_title=Acces blocat
blocked_heading=Acces blocat
blocked_sorry=Ne pare rău, momentan nu puteți vedea această pagină.
blocked_suspicious=Această pagină nu acceptă vizite automatizate sau anonime.
blocked_lockout=Prea multe răspunsuri greșite. Vă rugăm să încercați din nou mai târziu.
blocked_vpn=Dacă folosiți un VPN sau un proxy, dezactivarea acestuia ar putea ajuta.
blocked_home=Înapoi la pagina principală
ratelimited_title=Prea multe cereri
ratelimited_heading=Beți o ceașcă de ceai
ratelimited_text=Ați trimis prea multe cereri în ultimul minut. Vă rugăm să așteptați {seconds} s, apoi să încercați din nou.
ratelimited_retry=Reîncărcați pagina
language_link=Limbă
language_title=Alegeți limba
language_heading=Alegeți limba
language_search_label=Căutați o limbă
language_search_button=Căutați
language_no_match=Nicio limbă nu corespunde căutării dvs.
language_show_all=Afișați toate limbile
language_back=Înapoi fără a schimba limba
theme_link_dark=Temă întunecată
theme_link_light=Temă luminoasă
`
