package assets

// LangMs translates LangEN (i18n_en.go) into Bahasa Melayu.
const LangMs = `code=ms
name=Bahasa Melayu
dir=ltr
challenge_title=Sila tunggu sebentar
challenge_heading=Adakah anda manusia?
text_prompt=Untuk meneruskan, taipkan {count} aksara yang anda lihat dalam gambar. Huruf besar atau kecil tidak penting.
text_alt=Aksara herot untuk ditaip ke dalam medan di bawah
text_label=Aksara
button_continue=Teruskan
oneclick_prompt=Pilih gambar yang menunjukkan objek yang sama dengan gambar ini:
oneclick_reference_alt=Gambar rujukan. Salah satu daripada {count} gambar di bawah menunjukkan objek yang sama.
multiclick_prompt=Pilih setiap gambar yang menunjukkan objek yang sama dengan gambar ini, kemudian tekan Teruskan.
multiclick_reference_alt=Gambar rujukan. Beberapa daripada {count} gambar di bawah menunjukkan objek yang sama.
multiclick_legend=Gambar dengan objek yang sama
candidate_alt=Gambar {index} daripada {count}
audio_prompt=Dengar rakaman dan taipkan {count} digit yang anda dengar.
audio_hard_prompt=Dengar juga rakaman dan taipkan {count} digit yang anda dengar.
audio_label=Digit
audio_unsupported=Pelayar anda tidak dapat memainkan rakaman ini.
audio_alternative=Tidak dapat melihat gambar? Gunakan cabaran audio
visual_alternative=Tidak dapat mendengar? Gunakan cabaran gambar
error_wrong=Jawapan itu tidak betul, sila cuba lagi.
error_expired=Cabaran itu telah tamat tempoh. Ini cabaran baharu.
error_spent=Cabaran itu telah digunakan. Ini cabaran baharu.
error_harder=Halaman ini memerlukan cabaran yang lebih sukar. Inilah cabarannya.
error_bad_input=Jawapan anda tidak dapat dibaca. Sila cuba lagi.
footer_full=Dilindungi oleh Captchaify, captcha yang dihoskan sendiri. Tiada pihak ketiga yang melihat lawatan anda.
footer_short=Dilindungi oleh Captchaify.
blocked_title=Akses disekat
blocked_heading=Akses disekat
blocked_sorry=Maaf, anda tidak dapat melihat halaman ini buat masa ini.
blocked_suspicious=Halaman ini tidak menerima lawatan automatik atau tanpa nama.
blocked_lockout=Terlalu banyak jawapan salah. Sila cuba lagi kemudian.
blocked_vpn=Jika anda menggunakan VPN atau proksi, mematikannya mungkin dapat membantu.
blocked_home=Kembali ke halaman utama
ratelimited_title=Terlalu banyak permintaan
ratelimited_heading=Berehat sebentar sambil minum teh
ratelimited_text=Anda telah menghantar terlalu banyak permintaan dalam seminit yang lalu. Sila tunggu {seconds} saat, kemudian cuba lagi.
ratelimited_retry=Muat semula halaman
language_link=Bahasa
language_title=Pilih bahasa anda
language_heading=Pilih bahasa anda
language_search_label=Cari bahasa
language_search_button=Cari
language_no_match=Tiada bahasa yang sepadan dengan carian anda.
language_show_all=Tunjukkan semua bahasa
language_back=Kembali tanpa menukar bahasa
theme_link_dark=Tema gelap
theme_link_light=Tema cerah
`
