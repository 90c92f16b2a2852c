package assets

// LangVi translates LangEN (i18n_en.go) into Tiếng Việt.
const LangVi = `code=vi
name=Tiếng Việt
dir=ltr
challenge_title=Vui lòng đợi một chút
challenge_heading=Bạn có phải là người thật không?
text_prompt=Để tiếp tục, vui lòng nhập {count} ký tự bạn thấy trong hình. Không phân biệt chữ hoa và chữ thường.
text_alt=Các ký tự bị biến dạng cần nhập vào ô bên dưới
text_label=Ký tự
button_continue=Tiếp tục
oneclick_prompt=Chọn hình có cùng đối tượng với hình này:
oneclick_reference_alt=Hình mẫu. Một trong {count} hình bên dưới có cùng đối tượng.
multiclick_prompt=Chọn tất cả các hình có cùng đối tượng với hình này, sau đó nhấn Tiếp tục.
multiclick_reference_alt=Hình mẫu. Một số hình trong {count} hình bên dưới có cùng đối tượng.
multiclick_legend=Các hình có cùng đối tượng
candidate_alt=Hình {index} trên {count}
audio_prompt=Nghe bản ghi âm và nhập {count} chữ số bạn nghe được.
audio_hard_prompt=Nghe thêm bản ghi âm và nhập {count} chữ số bạn nghe được.
audio_label=Chữ số
audio_unsupported=Trình duyệt của bạn không thể phát bản ghi âm này.
audio_alternative=Không xem được hình? Dùng thử thách âm thanh
visual_alternative=Không nghe được? Dùng thử thách hình ảnh
error_wrong=Chưa đúng, vui lòng thử lại.
error_expired=Thử thách đó đã hết hạn. Đây là thử thách mới.
error_spent=Thử thách đó đã được sử dụng. Đây là thử thách mới.
error_harder=Trang này yêu cầu thử thách khó hơn. Đây là thử thách đó.
error_bad_input=Không đọc được câu trả lời của bạn. Vui lòng thử lại.
footer_full=Được bảo vệ bởi Captchaify, một captcha tự lưu trữ. Không bên thứ ba nào thấy lượt truy cập của bạn.
footer_short=Được bảo vệ bởi Captchaify.
blocked_title=Truy cập bị chặn
blocked_heading=Truy cập bị chặn
blocked_sorry=Rất tiếc, hiện tại bạn không thể xem trang này.
blocked_suspicious=Trang này không chấp nhận lượt truy cập tự động hoặc ẩn danh.
blocked_lockout=Bạn đã trả lời sai quá nhiều lần. Vui lòng thử lại sau.
blocked_vpn=Nếu bạn đang dùng VPN hoặc proxy, tắt nó đi có thể giúp ích.
blocked_home=Quay lại trang chính
ratelimited_title=Quá nhiều yêu cầu
ratelimited_heading=Hãy nghỉ tay uống tách trà
ratelimited_text=Bạn đã gửi quá nhiều yêu cầu trong một phút qua. Vui lòng đợi {seconds} giây rồi thử lại.
ratelimited_retry=Tải lại trang
language_link=Ngôn ngữ
language_title=Chọn ngôn ngữ
language_heading=Chọn ngôn ngữ của bạn
language_search_label=Tìm ngôn ngữ
language_search_button=Tìm kiếm
language_no_match=Không có ngôn ngữ nào khớp với tìm kiếm của bạn.
language_show_all=Hiển thị tất cả ngôn ngữ
language_back=Quay lại mà không đổi ngôn ngữ
theme_link_dark=Giao diện tối
theme_link_light=Giao diện sáng
`
