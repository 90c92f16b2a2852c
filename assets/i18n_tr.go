package assets

// LangTr translates LangEN (i18n_en.go) into Türkçe.
const LangTr = `code=tr
name=Türkçe
dir=ltr
challenge_title=Bir dakika, lütfen
challenge_heading=İnsan mısınız?
text_prompt=Devam etmek için resimde gördüğünüz {count} karakteri yazın. Büyük veya küçük harf fark etmez.
text_alt=Aşağıdaki alana yazılacak bozulmuş karakterler
text_label=Karakterler
button_continue=Devam
oneclick_prompt=Bu resimle aynı şeyi gösteren resmi seçin:
oneclick_reference_alt=Örnek resim. Aşağıdaki {count} resimden biri aynı şeyi gösteriyor.
multiclick_prompt=Bu resimle aynı şeyi gösteren tüm resimleri seçin, ardından Devam düğmesine basın.
multiclick_reference_alt=Örnek resim. Aşağıdaki {count} resimden bazıları aynı şeyi gösteriyor.
multiclick_legend=Aynı şeyi gösteren resimler
candidate_alt={index}. resim (toplam {count})
audio_prompt=Kaydı dinleyin ve duyduğunuz {count} rakamı yazın.
audio_hard_prompt=Ayrıca kaydı dinleyin ve duyduğunuz {count} rakamı yazın.
audio_label=Rakamlar
audio_unsupported=Tarayıcınız bu kaydı oynatamıyor.
audio_alternative=Resimleri göremiyor musunuz? Sesli doğrulamayı kullanın
visual_alternative=Dinleyemiyor musunuz? Resimli doğrulamayı kullanın
error_wrong=Yanıt doğru değil. Lütfen tekrar deneyin.
error_expired=Bu doğrulamanın süresi dolmuştu. İşte yenisi.
error_spent=Bu doğrulama zaten kullanılmıştı. İşte yenisi.
error_harder=Bu sayfa daha zor bir doğrulama gerektiriyor. İşte yeni doğrulamanız.
error_bad_input=Yanıtınız okunamadı. Lütfen tekrar deneyin.
footer_full=Bu site, kendi sunucusunda çalışan bir captcha olan Captchaify ile korunmaktadır. Ziyaretinizi hiçbir üçüncü taraf görmez.
footer_short=Captchaify ile korunmaktadır.
blocked_title=Erişim engellendi
blocked_heading=Erişim engellendi
blocked_sorry=Üzgünüz, bu sayfayı şu anda görüntüleyemezsiniz.
blocked_suspicious=Bu sayfa otomatik veya anonim ziyaretleri kabul etmiyor.
blocked_lockout=Çok fazla yanlış yanıt verdiniz. Lütfen daha sonra tekrar deneyin.
blocked_vpn=VPN veya proxy kullanıyorsanız, bunu kapatmak işe yarayabilir.
blocked_home=Ana sayfaya dön
ratelimited_title=Çok fazla istek
ratelimited_heading=Bir çay molası verin
ratelimited_text=Son bir dakikada çok fazla istek gönderdiniz. Lütfen {seconds} saniye bekleyip tekrar deneyin.
ratelimited_retry=Sayfayı yenile
language_link=Dil
language_title=Dilinizi seçin
language_heading=Dilinizi seçin
language_search_label=Dil arayın
language_search_button=Ara
language_no_match=Aramanızla eşleşen bir dil yok.
language_show_all=Tüm dilleri göster
language_back=Dili değiştirmeden geri dön
theme_link_dark=Koyu tema
theme_link_light=Açık tema
`
