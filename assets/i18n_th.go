package assets

// LangTh translates LangEN (i18n_en.go) into ไทย.
const LangTh = `code=th
name=ไทย
dir=ltr
challenge_title=โปรดรอสักครู่
challenge_heading=คุณเป็นมนุษย์หรือไม่
text_prompt=พิมพ์อักขระ {count} ตัวที่เห็นในรูปภาพเพื่อดำเนินการต่อ ไม่ต้องคำนึงถึงตัวพิมพ์ใหญ่หรือตัวพิมพ์เล็ก
text_alt=อักขระที่บิดเบี้ยวสำหรับพิมพ์ลงในช่องด้านล่าง
text_label=อักขระ
button_continue=ดำเนินการต่อ
oneclick_prompt=เลือกรูปภาพที่แสดงสิ่งเดียวกันกับรูปภาพนี้:
oneclick_reference_alt=รูปภาพอ้างอิง หนึ่งในรูปภาพ {count} รูปด้านล่างแสดงสิ่งเดียวกัน
multiclick_prompt=เลือกรูปภาพทุกรูปที่แสดงสิ่งเดียวกันกับรูปภาพนี้ แล้วกด "ดำเนินการต่อ"
multiclick_reference_alt=รูปภาพอ้างอิง รูปภาพบางรูปจาก {count} รูปด้านล่างแสดงสิ่งเดียวกัน
multiclick_legend=รูปภาพที่แสดงสิ่งเดียวกัน
candidate_alt=รูปภาพที่ {index} จาก {count}
audio_prompt=ฟังเสียงที่บันทึกไว้และพิมพ์ตัวเลข {count} ตัวที่คุณได้ยิน
audio_hard_prompt=ฟังเสียงที่บันทึกไว้ด้วย และพิมพ์ตัวเลข {count} ตัวที่คุณได้ยิน
audio_label=ตัวเลข
audio_unsupported=เบราว์เซอร์ของคุณไม่สามารถเล่นเสียงที่บันทึกไว้นี้ได้
audio_alternative=มองไม่เห็นรูปภาพใช่ไหม ใช้แบบทดสอบด้วยเสียงแทน
visual_alternative=ฟังเสียงไม่ได้ใช่ไหม ใช้แบบทดสอบด้วยรูปภาพแทน
error_wrong=คำตอบไม่ถูกต้อง โปรดลองอีกครั้ง
error_expired=แบบทดสอบนั้นหมดอายุแล้ว นี่คือแบบทดสอบใหม่
error_spent=แบบทดสอบนั้นถูกใช้ไปแล้ว นี่คือแบบทดสอบใหม่
error_harder=หน้านี้ต้องใช้แบบทดสอบที่ยากขึ้น โปรดทำแบบทดสอบด้านล่าง
error_bad_input=ไม่สามารถอ่านคำตอบของคุณได้ โปรดลองอีกครั้ง
footer_full=ปกป้องโดย Captchaify ซึ่งเป็น CAPTCHA ที่โฮสต์เอง ไม่มีบุคคลที่สามเห็นการเข้าชมของคุณ
footer_short=ปกป้องโดย Captchaify
blocked_title=การเข้าถึงถูกบล็อก
blocked_heading=การเข้าถึงถูกบล็อก
blocked_sorry=ขออภัย คุณไม่สามารถดูหน้านี้ได้ในขณะนี้
blocked_suspicious=หน้านี้ไม่รับการเข้าชมแบบอัตโนมัติหรือแบบไม่ระบุตัวตน
blocked_lockout=ตอบผิดหลายครั้งเกินไป โปรดลองอีกครั้งในภายหลัง
blocked_vpn=หากคุณใช้ VPN หรือพร็อกซี การปิดการใช้งานอาจช่วยได้
blocked_home=กลับไปยังหน้าหลัก
ratelimited_title=คำขอมากเกินไป
ratelimited_heading=พักดื่มชาสักถ้วยก่อน
ratelimited_text=คุณส่งคำขอมากเกินไปในหนึ่งนาทีที่ผ่านมา โปรดรอ {seconds} วินาที แล้วลองอีกครั้ง
ratelimited_retry=รีเฟรชหน้า
language_link=ภาษา
language_title=เลือกภาษาของคุณ
language_heading=เลือกภาษาของคุณ
language_search_label=ค้นหาภาษา
language_search_button=ค้นหา
language_no_match=ไม่พบภาษาที่ตรงกับการค้นหาของคุณ
language_show_all=แสดงภาษาทั้งหมด
language_back=กลับโดยไม่เปลี่ยนภาษา
theme_link_dark=ธีมมืด
theme_link_light=ธีมสว่าง
`
