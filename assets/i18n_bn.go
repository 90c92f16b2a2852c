package assets

// LangBn translates LangEN (i18n_en.go) into বাংলা.
const LangBn = `code=bn
name=বাংলা
dir=ltr
challenge_title=অনুগ্রহ করে একটু অপেক্ষা করুন
challenge_heading=আপনি কি মানুষ?
text_prompt=চালিয়ে যেতে ছবিতে দেখানো {count}টি অক্ষর লিখুন। বড় হাতের বা ছোট হাতের অক্ষরে কোনো পার্থক্য নেই।
text_alt=বিকৃত অক্ষর, যা নিচের ঘরে লিখতে হবে
text_label=অক্ষর
button_continue=চালিয়ে যান
oneclick_prompt=এই ছবিতে যা আছে, ঠিক সেই জিনিসই দেখানো ছবিটি বেছে নিন:
oneclick_reference_alt=নমুনা ছবি। নিচের {count}টি ছবির মধ্যে একটিতে একই জিনিস দেখানো হয়েছে।
multiclick_prompt=এই ছবিতে যা আছে, ঠিক সেই জিনিসই দেখানো প্রতিটি ছবি বেছে নিন, তারপর "চালিয়ে যান" চাপুন।
multiclick_reference_alt=নমুনা ছবি। নিচের {count}টি ছবির মধ্যে কয়েকটিতে একই জিনিস দেখানো হয়েছে।
multiclick_legend=একই জিনিস দেখানো ছবি
candidate_alt={count}টির মধ্যে {index} নম্বর ছবি
audio_prompt=রেকর্ডিংটি শুনুন এবং যে {count}টি অঙ্ক শুনতে পাচ্ছেন তা লিখুন।
audio_hard_prompt=রেকর্ডিংটিও শুনুন এবং যে {count}টি অঙ্ক শুনতে পাচ্ছেন তা লিখুন।
audio_label=অঙ্ক
audio_unsupported=আপনার ব্রাউজার এই রেকর্ডিংটি চালাতে পারছে না।
audio_alternative=ছবি দেখতে পাচ্ছেন না? অডিও চ্যালেঞ্জ ব্যবহার করুন
visual_alternative=শুনতে পাচ্ছেন না? ছবির চ্যালেঞ্জ ব্যবহার করুন
error_wrong=উত্তরটি সঠিক হয়নি, অনুগ্রহ করে আবার চেষ্টা করুন।
error_expired=চ্যালেঞ্জটির মেয়াদ শেষ হয়ে গিয়েছিল। এই নিন নতুন চ্যালেঞ্জ।
error_spent=চ্যালেঞ্জটি আগেই ব্যবহার করা হয়েছিল। এই নিন নতুন চ্যালেঞ্জ।
error_harder=এই পৃষ্ঠার জন্য আরও কঠিন চ্যালেঞ্জ প্রয়োজন। এই নিন সেটি।
error_bad_input=আপনার উত্তরটি পড়া যায়নি। অনুগ্রহ করে আবার চেষ্টা করুন।
footer_full=Captchaify দ্বারা সুরক্ষিত, যা একটি সেলফ-হোস্টেড ক্যাপচা। কোনো তৃতীয় পক্ষ আপনার ভিজিট দেখতে পায় না।
footer_short=Captchaify দ্বারা সুরক্ষিত।
blocked_title=অ্যাক্সেস অবরুদ্ধ
blocked_heading=অ্যাক্সেস অবরুদ্ধ
blocked_sorry=দুঃখিত, আপনি এই মুহূর্তে এই পৃষ্ঠাটি দেখতে পারবেন না।
blocked_suspicious=এই পৃষ্ঠা স্বয়ংক্রিয় বা বেনামি ভিজিট গ্রহণ করে না।
blocked_lockout=অনেকবার ভুল উত্তর দেওয়া হয়েছে। অনুগ্রহ করে পরে আবার চেষ্টা করুন।
blocked_vpn=আপনি VPN বা প্রক্সি ব্যবহার করলে সেটি বন্ধ করলে সুবিধা হতে পারে।
blocked_home=মূল পৃষ্ঠায় ফিরে যান
ratelimited_title=অত্যধিক অনুরোধ
ratelimited_heading=এক কাপ চা খেয়ে নিন
ratelimited_text=গত এক মিনিটে আপনি অত্যধিক অনুরোধ পাঠিয়েছেন। অনুগ্রহ করে {seconds} সেকেন্ড অপেক্ষা করুন, তারপর আবার চেষ্টা করুন।
ratelimited_retry=পৃষ্ঠাটি রিফ্রেশ করুন
language_link=ভাষা
language_title=আপনার ভাষা বেছে নিন
language_heading=আপনার ভাষা বেছে নিন
language_search_label=ভাষা খুঁজুন
language_search_button=খুঁজুন
language_no_match=আপনার অনুসন্ধানের সঙ্গে কোনো ভাষা মেলেনি।
language_show_all=সব ভাষা দেখান
language_back=ভাষা পরিবর্তন না করে ফিরে যান
theme_link_dark=ডার্ক থিম
theme_link_light=লাইট থিম
`
