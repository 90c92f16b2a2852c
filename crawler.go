package captchaify

import "regexp"

// crawlerAgents matches the user agents of well-known crawlers, scrapers and
// HTTP libraries (the seed's list plus today's AI crawlers). A crawler is
// suspicious while blockCrawler is on.
var crawlerAgents = regexp.MustCompile(`(?i)` +
	`googlebot|google-inspectiontool|storebot-google|adsbot-google|mediapartners-google|` +
	`bingbot|bingpreview|msnbot|slurp|duckduckbot|baiduspider|yandex(bot|images)?|sogou|exabot|` +
	`facebot|facebookexternalhit|ia_archiver|archive\.org_bot|applebot|petalbot|seznambot|` +
	`ahrefsbot|semrushbot|mj12bot|dotbot|rogerbot|blexbot|dataforseobot|serpstatbot|` +
	`ccbot|gptbot|chatgpt-user|oai-searchbot|claudebot|claude-web|anthropic-ai|bytespider|` +
	`amazonbot|perplexitybot|cohere-ai|diffbot|omgilibot|imagesiftbot|` +
	`twitterbot|linkedinbot|slackbot|discordbot|telegrambot|whatsapp|pinterest|` +
	`libwww-perl|python-urllib|python-requests|scrapy|go-http-client|java/|wget|curl/|` +
	`headlesschrome|phantomjs|\bcrawler\b|\bspider\b|\bbot\b`)

func isCrawler(userAgent string) bool {
	return userAgent != "" && crawlerAgents.MatchString(userAgent)
}
