package assets

// LangSw translates LangEN (i18n_en.go) into Kiswahili.
const LangSw = `code=sw
name=Kiswahili
dir=ltr
challenge_title=Subiri kidogo, tafadhali
challenge_heading=Je, wewe ni binadamu?
text_prompt=Ili kuendelea, andika herufi {count} unazoziona kwenye picha. Herufi kubwa au ndogo hazina tofauti.
text_alt=Herufi zilizopotoshwa za kuandika kwenye kisanduku kilicho hapa chini
text_label=Herufi
button_continue=Endelea
oneclick_prompt=Chagua picha inayoonyesha kitu kilekile kama picha hii:
oneclick_reference_alt=Picha ya mfano. Mojawapo ya picha {count} zilizo hapa chini inaonyesha kitu kilekile.
multiclick_prompt=Chagua kila picha inayoonyesha kitu kilekile kama picha hii, kisha ubonyeze Endelea.
multiclick_reference_alt=Picha ya mfano. Baadhi ya picha {count} zilizo hapa chini zinaonyesha kitu kilekile.
multiclick_legend=Picha zinazoonyesha kitu kilekile
candidate_alt=Picha {index} kati ya {count}
audio_prompt=Sikiliza rekodi kisha uandike tarakimu {count} unazozisikia.
audio_hard_prompt=Sikiliza pia rekodi kisha uandike tarakimu {count} unazozisikia.
audio_label=Tarakimu
audio_unsupported=Kivinjari chako hakiwezi kucheza rekodi hii.
audio_alternative=Huwezi kuona picha? Tumia jaribio la sauti
visual_alternative=Huwezi kusikiliza? Tumia jaribio la picha
error_wrong=Jibu si sahihi, tafadhali jaribu tena.
error_expired=Muda wa jaribio hilo ulikuwa umekwisha. Hili hapa jaribio jipya.
error_spent=Jaribio hilo lilikuwa limeshatumika. Hili hapa jaribio jipya.
error_harder=Ukurasa huu unahitaji jaribio gumu zaidi. Hili hapa.
error_bad_input=Jibu lako halikuweza kusomwa. Tafadhali jaribu tena.
footer_full=Imelindwa na Captchaify, captcha inayopangishwa na mmiliki wa tovuti hii. Hakuna mtu wa tatu anayeona ziara yako.
footer_short=Imelindwa na Captchaify.
blocked_title=Ufikiaji umezuiwa
blocked_heading=Ufikiaji umezuiwa
blocked_sorry=Samahani, huwezi kuona ukurasa huu kwa sasa.
blocked_suspicious=Ukurasa huu haukubali ziara za kiotomatiki au zisizojulikana.
blocked_lockout=Majibu mengi mno yasiyo sahihi. Tafadhali jaribu tena baadaye.
blocked_vpn=Ikiwa unatumia VPN au proksi, kuizima kunaweza kusaidia.
blocked_home=Rudi kwenye ukurasa mkuu
ratelimited_title=Maombi mengi mno
ratelimited_heading=Pumzika upate kikombe cha chai
ratelimited_text=Umetuma maombi mengi mno katika dakika iliyopita. Tafadhali subiri sekunde {seconds}, kisha ujaribu tena.
ratelimited_retry=Pakia upya ukurasa
language_link=Lugha
language_title=Chagua lugha yako
language_heading=Chagua lugha yako
language_search_label=Tafuta lugha
language_search_button=Tafuta
language_no_match=Hakuna lugha inayolingana na utafutaji wako.
language_show_all=Onyesha lugha zote
language_back=Rudi bila kubadilisha lugha
theme_link_dark=Mandhari meusi
theme_link_light=Mandhari angavu
`
