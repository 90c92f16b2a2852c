package assets

// LangFi translates LangEN (i18n_en.go) into Suomi.
const LangFi = `code=fi
name=Suomi
dir=ltr
challenge_title=Odota hetki
challenge_heading=Oletko ihminen?
text_prompt=Jatka kirjoittamalla kuvassa näkyvät merkit. Merkkejä on {count}. Isoilla ja pienillä kirjaimilla ei ole eroa.
text_alt=Vääristettyjä merkkejä, jotka kirjoitetaan alla olevaan kenttään
text_label=Merkit
button_continue=Jatka
oneclick_prompt=Valitse kuva, jossa on sama aihe kuin tässä:
oneclick_reference_alt=Mallikuva. Yhdessä alla olevista kuvista (yhteensä {count}) on sama aihe.
multiclick_prompt=Valitse kaikki kuvat, joissa on sama aihe kuin tässä, ja paina sitten Jatka.
multiclick_reference_alt=Mallikuva. Osassa alla olevista kuvista (yhteensä {count}) on sama aihe.
multiclick_legend=Kuvat, joissa on sama aihe
candidate_alt=Kuva {index}/{count}
audio_prompt=Kuuntele äänite ja kirjoita kuulemasi numerot. Numeroita on {count}.
audio_hard_prompt=Kuuntele myös äänite ja kirjoita kuulemasi numerot. Numeroita on {count}.
audio_label=Numerot
audio_unsupported=Selaimesi ei voi toistaa tätä äänitettä.
audio_alternative=Etkö näe kuvia? Käytä äänitehtävää
visual_alternative=Etkö voi kuunnella? Käytä kuvatehtävää
error_wrong=Vastaus ei ollut oikein. Yritä uudelleen.
error_expired=Tehtävä oli vanhentunut. Tässä on uusi.
error_spent=Tehtävä oli jo käytetty. Tässä on uusi.
error_harder=Tämä sivu vaatii vaikeamman tehtävän. Tässä se on.
error_bad_input=Vastaustasi ei voitu lukea. Yritä uudelleen.
footer_full=Sivua suojaa Captchaify, itse ylläpidetty captcha. Käyntisi ei näy kolmansille osapuolille.
footer_short=Sivua suojaa Captchaify.
blocked_title=Pääsy estetty
blocked_heading=Pääsy estetty
blocked_sorry=Valitettavasti et voi nähdä tätä sivua juuri nyt.
blocked_suspicious=Tämä sivu ei hyväksy automaattisia tai nimettömiä käyntejä.
blocked_lockout=Liian monta väärää vastausta. Yritä myöhemmin uudelleen.
blocked_vpn=Jos käytät VPN:ää tai välityspalvelinta, sen poistaminen käytöstä voi auttaa.
blocked_home=Takaisin etusivulle
ratelimited_title=Liian monta pyyntöä
ratelimited_heading=Pidä pieni teetauko
ratelimited_text=Lähetit liian monta pyyntöä viimeisen minuutin aikana. Odota {seconds} s ja yritä sitten uudelleen.
ratelimited_retry=Päivitä sivu
language_link=Kieli
language_title=Valitse kieli
language_heading=Valitse kieli
language_search_label=Hae kieltä
language_search_button=Hae
language_no_match=Hakuasi vastaavaa kieltä ei löytynyt.
language_show_all=Näytä kaikki kielet
language_back=Takaisin vaihtamatta kieltä
theme_link_dark=Tumma teema
theme_link_light=Vaalea teema
`
