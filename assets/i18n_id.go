package assets

// LangId translates LangEN (i18n_en.go) into Bahasa Indonesia.
const LangId = `code=id
name=Bahasa Indonesia
dir=ltr
challenge_title=Mohon tunggu sebentar
challenge_heading=Apakah Anda manusia?
text_prompt=Untuk melanjutkan, ketik {count} karakter yang Anda lihat pada gambar. Huruf besar atau kecil tidak berpengaruh.
text_alt=Karakter yang terdistorsi untuk diketik di kolom di bawah
text_label=Karakter
button_continue=Lanjutkan
oneclick_prompt=Pilih gambar yang menampilkan objek yang sama dengan gambar ini:
oneclick_reference_alt=Gambar acuan. Salah satu dari {count} gambar di bawah menampilkan objek yang sama.
multiclick_prompt=Pilih setiap gambar yang menampilkan objek yang sama dengan gambar ini, lalu tekan Lanjutkan.
multiclick_reference_alt=Gambar acuan. Beberapa dari {count} gambar di bawah menampilkan objek yang sama.
multiclick_legend=Gambar dengan objek yang sama
candidate_alt=Gambar {index} dari {count}
audio_prompt=Dengarkan rekaman dan ketik {count} angka yang Anda dengar.
audio_hard_prompt=Dengarkan juga rekaman dan ketik {count} angka yang Anda dengar.
audio_label=Angka
audio_unsupported=Browser Anda tidak dapat memutar rekaman ini.
audio_alternative=Tidak dapat melihat gambar? Gunakan tantangan audio
visual_alternative=Tidak dapat mendengar? Gunakan tantangan gambar
error_wrong=Jawaban kurang tepat, silakan coba lagi.
error_expired=Tantangan tersebut sudah kedaluwarsa. Ini tantangan baru.
error_spent=Tantangan tersebut sudah pernah digunakan. Ini tantangan baru.
error_harder=Halaman ini memerlukan tantangan yang lebih sulit. Ini tantangannya.
error_bad_input=Jawaban Anda tidak dapat dibaca. Silakan coba lagi.
footer_full=Dilindungi oleh Captchaify, captcha yang di-host sendiri. Tidak ada pihak ketiga yang melihat kunjungan Anda.
footer_short=Dilindungi oleh Captchaify.
blocked_title=Akses diblokir
blocked_heading=Akses diblokir
blocked_sorry=Maaf, saat ini Anda tidak dapat melihat halaman ini.
blocked_suspicious=Halaman ini tidak menerima kunjungan otomatis atau anonim.
blocked_lockout=Terlalu banyak jawaban salah. Silakan coba lagi nanti.
blocked_vpn=Jika Anda menggunakan VPN atau proxy, menonaktifkannya mungkin dapat membantu.
blocked_home=Kembali ke halaman utama
ratelimited_title=Terlalu banyak permintaan
ratelimited_heading=Silakan rehat sejenak sambil minum teh
ratelimited_text=Anda mengirim terlalu banyak permintaan dalam satu menit terakhir. Harap tunggu {seconds} detik, lalu coba lagi.
ratelimited_retry=Muat ulang halaman
language_link=Bahasa
language_title=Pilih bahasa Anda
language_heading=Pilih bahasa Anda
language_search_label=Cari bahasa
language_search_button=Cari
language_no_match=Tidak ada bahasa yang cocok dengan pencarian Anda.
language_show_all=Tampilkan semua bahasa
language_back=Kembali tanpa mengubah bahasa
theme_link_dark=Tema gelap
theme_link_light=Tema terang
`
