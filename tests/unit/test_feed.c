/* test_feed.c - the feed parser's rules, one small inline document each. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "hark/feed.h"
#include "hark/html.h"
#include "hark/util.h"
#include "tap.h"

#define ITUNES "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""
#define PODCAST "xmlns:podcast=\"https://podcastindex.org/namespace/1.0\""

static struct err e;

static struct feed *P(const char *xml)
{
	return feed_parse(xml, strlen(xml), "https://example.com/feeds/feed.xml", false, &e);
}

static struct feed *PL(const char *xml, const char *base)
{
	return feed_parse(xml, strlen(xml), base, true, &e);
}

/* A one-item RSS 2.0 feed around the item body. */
static struct feed *item(const char *ns, const char *body)
{
	char *xml = str_printf("<rss version=\"2.0\" %s><channel><title>T</title><item>%s</item>"
	                       "</channel></rss>",
	                       ns, body);
	struct feed *f = P(xml);

	free(xml);
	return f;
}

/* The first episode; a parse without one is a failed test point and an empty
 * episode, so the checks after it fail instead of crashing. */
static const struct feed_episode *ep0(const struct feed *f)
{
	static const struct feed_episode none;

	if (f && f->n_episodes > 0)
		return &f->episodes[0];
	ok(0, "the feed has a first episode");
	return &none;
}

static void test_rss2(void)
{
	const char *xml =
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<rss version=\"2.0\" " ITUNES
	        " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
	        "<channel><title>  My Show </title><link>https://example.com/</link>"
	        "<description>About the show</description><language>en-us</language>"
	        "<itunes:author>Jane</itunes:author><itunes:image "
	        "href=\"https://example.com/a.jpg\"/>"
	        "<itunes:explicit>no</itunes:explicit><itunes:new-feed-url>https://new.example.com/"
	        "f.xml"
	        "</itunes:new-feed-url><itunes:subtitle>Sub</itunes:subtitle>"
	        "<item><title>Ep 1</title><guid isPermaLink=\"false\">id-1</guid>"
	        "<pubDate>Tue, 02 Jan 2024 03:04:05 GMT</pubDate>"
	        "<enclosure url=\"https://example.com/1.mp3\" type=\"audio/mpeg\" length=\"1234\"/>"
	        "<itunes:duration>3600</itunes:duration><itunes:season>2</itunes:season>"
	        "<itunes:episode>7</itunes:episode><itunes:episodeType>Trailer</itunes:episodeType>"
	        "<itunes:explicit>yes</itunes:explicit><itunes:block>Yes</itunes:block>"
	        "<itunes:subtitle>s1</itunes:subtitle><itunes:author>A1</itunes:author>"
	        "<itunes:image "
	        "href=\"https://example.com/e1.jpg\"/><link>https://example.com/1</link>"
	        "<description>short</description></item>"
	        "<item><title>Ep 2</title><itunes:duration>1:30</itunes:duration>"
	        "<itunes:explicit>clean</itunes:explicit></item>"
	        "<item><itunes:duration>01:02:03</itunes:duration><itunes:explicit>true</"
	        "itunes:explicit>"
	        "</item>"
	        "<item><itunes:duration>1:02:03.5</itunes:duration><itunes:explicit>false</"
	        "itunes:explicit>"
	        "</item>"
	        "<item><itunes:duration>90.5</itunes:duration><itunes:explicit>maybe</"
	        "itunes:explicit>"
	        "</item>"
	        "<item><itunes:duration>soon</itunes:duration></item>"
	        "</channel></rss>";
	struct feed *f = P(xml);
	const struct feed_episode *ep;

	ok(f != NULL, "rss 2.0 parses");
	if (!f)
		return;
	is_str(f->title, "My Show", "feed title trimmed");
	is_str(f->link, "https://example.com/", "feed link");
	is_str(f->description, "About the show", "feed description");
	is_str(f->language, "en-us", "feed language");
	is_str(f->author, "Jane", "feed itunes:author");
	is_str(f->image, "https://example.com/a.jpg", "feed itunes:image href");
	is_num(f->explicit_, 0, "feed explicit no");
	is_str(f->new_feed_url, "https://new.example.com/f.xml", "itunes:new-feed-url");
	is_str(f->subtitle, "Sub", "feed subtitle");
	is_str(f->type, "episodic", "type defaults to episodic");
	is_num((double)f->n_episodes, 6, "six episodes");
	ep = ep0(f);
	is_str(ep->title, "Ep 1", "episode title");
	is_str(ep->guid, "id-1", "episode guid");
	is_num((double)ep->published, 1704164645, "pubDate");
	is_str(ep->enc_url, "https://example.com/1.mp3", "enclosure url");
	is_str(ep->enc_type, "audio/mpeg", "enclosure type");
	is_num((double)ep->enc_length, 1234, "enclosure length");
	is_num(ep->duration, 3600, "duration seconds");
	is_num(ep->season, 2, "itunes:season");
	is_num(ep->episode, 7, "itunes:episode");
	is_str(ep->episode_type, "trailer", "episodeType lowercased");
	is_num(ep->explicit_, 1, "explicit yes");
	ok(ep->block, "itunes:block Yes");
	is_str(ep->subtitle, "s1", "episode subtitle");
	is_str(ep->author, "A1", "episode author");
	is_str(ep->image, "https://example.com/e1.jpg", "episode image");
	is_str(ep->link, "https://example.com/1", "episode link");
	is_num(f->episodes[1].duration, 90, "duration M:SS");
	is_num(f->episodes[1].explicit_, 0, "explicit clean");
	ok(!f->episodes[1].block, "block absent");
	is_num(f->episodes[2].duration, 3723, "duration HH:MM:SS");
	is_num(f->episodes[2].explicit_, 1, "explicit true");
	is_num(f->episodes[3].duration, 3723.5, "duration H:MM:SS.f");
	is_num(f->episodes[3].explicit_, 0, "explicit false");
	is_num(f->episodes[4].duration, 90.5, "duration fractional seconds");
	is_num(f->episodes[4].explicit_, -1, "explicit unknown value");
	is_num(f->episodes[5].duration, -1, "bad duration is -1");
	is_str(f->episodes[2].title, NULL, "missing episode title is NULL");
	is_num(f->episodes[1].published, -1, "missing date is -1");
	is_num(f->episodes[1].season, -1, "missing season is -1");
	is_num((double)f->episodes[1].enc_length, -1, "missing length is -1");
	feed_free(f);
}

static void test_rss091_and_rdf(void)
{
	struct feed *f;

	f = P("<rss version=\"0.91\"><channel><title>Old</title><item><title>i1</title>"
	      "<link>http://example.com/i1</link><description>d1</description></item></channel></"
	      "rss>");
	ok(f && f->n_episodes == 1, "rss 0.91 parses");
	if (f) {
		is_str(f->episodes[0].link, "http://example.com/i1", "rss 0.91 item link");
		is_str(f->episodes[0].description, "d1", "rss 0.91 item description");
	}
	feed_free(f);
	f = P("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
	      "xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
	      "<channel rdf:about=\"http://example.com/\"><title>RDF feed</title>"
	      "<link>http://example.com/</link><description>r</description></channel>"
	      "<image><url>http://example.com/logo.png</url></image>"
	      "<item rdf:about=\"http://example.com/a\"><title>A</title>"
	      "<dc:date>2024-01-02T03:04:05Z</dc:date></item>"
	      "<item rdf:about=\"http://example.com/b\"><title>B</title></item></rdf:RDF>");
	ok(f != NULL, "rss 1.0 (RDF) parses");
	if (f) {
		is_str(f->title, "RDF feed", "rdf channel title");
		is_str(f->image, "http://example.com/logo.png", "rdf image beside the channel");
		is_num((double)f->n_episodes, 2, "rdf items beside the channel");
		if (f->n_episodes == 2) {
			is_str(f->episodes[0].guid, "http://example.com/a", "rdf:about as guid");
			is_num((double)f->episodes[0].published, 1704164645, "dc:date");
		}
	}
	feed_free(f);
}

static void test_atom(void)
{
	struct feed *f =
	        P("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\"><title>Atom "
	          "show</title>"
	          "<subtitle>All about it</subtitle><link rel=\"self\" "
	          "href=\"https://example.com/self\"/>"
	          "<link href=\"https://example.com/\"/><logo>https://example.com/logo.png</logo>"
	          "<author><name>Ann</name></author>"
	          "<entry><id>urn:1</id><title type=\"html\">E &amp;amp; 1</title>"
	          "<published>2024-01-02T04:04:05+01:00</published><updated>2025-01-01T00:00:00Z</"
	          "updated>"
	          "<link rel=\"alternate\" href=\"https://example.com/e1\"/>"
	          "<link rel=\"enclosure\" href=\"https://example.com/e1.mp3\" type=\"audio/mpeg\" "
	          "length=\"99\"/>"
	          "<summary type=\"text\">short &lt;b&gt;</summary>"
	          "<content type=\"html\">&lt;p&gt;Long &lt;b&gt;content&lt;/b&gt; "
	          "here&lt;/p&gt;</content>"
	          "</entry>"
	          "<entry><id>urn:2</id><title>E2</title><updated>2024-01-02T03:04:05Z</updated>"
	          "<content type=\"xhtml\"><div "
	          "xmlns=\"http://www.w3.org/1999/xhtml\"><p>x1</p><p>x2</p>"
	          "</div></content><author><name>Bob</name></author></entry></feed>");
	const struct feed_episode *ep;

	ok(f != NULL, "atom parses");
	if (!f)
		return;
	is_str(f->title, "Atom show", "atom title");
	is_str(f->description, "All about it", "atom subtitle as description");
	is_str(f->link, "https://example.com/", "atom alternate link (not self)");
	is_str(f->image, "https://example.com/logo.png", "atom logo");
	is_str(f->author, "Ann", "atom author name");
	is_str(f->language, "de", "xml:lang as language");
	is_num((double)f->n_episodes, 2, "atom entries");
	ep = ep0(f);
	is_str(ep->guid, "urn:1", "atom id as guid");
	is_num((double)ep->published, 1704164645, "atom published (offset) wins over updated");
	is_str(ep->link, "https://example.com/e1", "atom alternate link");
	is_str(ep->enc_url, "https://example.com/e1.mp3", "atom enclosure link");
	is_num((double)ep->enc_length, 99, "atom enclosure length");
	is_str(ep->description, "Long content here", "richest of summary/content, html converted");
	if (f->n_episodes == 2) {
		is_num((double)f->episodes[1].published, 1704164645,
		       "atom updated as fallback date");
		is_str(f->episodes[1].description, "x1\n\nx2", "xhtml content");
		is_str(f->episodes[1].author, "Bob", "atom entry author");
	}
	feed_free(f);
}

static void test_namespaces(void)
{
	struct feed *f;

	f = item("xmlns:it=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"",
	         "<it:duration>42</it:duration>");
	is_num(ep0(f)->duration, 42, "itunes matched by URI, any prefix");
	feed_free(f);
	f = item("xmlns:itunes=\"http://example.org/not-itunes\"",
	         "<itunes:duration>42</itunes:duration>");
	is_num(ep0(f)->duration, -1, "itunes prefix with a foreign URI is ignored");
	feed_free(f);
	f = item("xmlns:itunes=\"HTTP://WWW.ITUNES.COM/DTDS/PODCAST-1.0.DTD\"",
	         "<itunes:duration>43</itunes:duration>");
	is_num(ep0(f)->duration, 43, "itunes URI in upper case");
	feed_free(f);
	f = item("xmlns:itunes=\"http://www.itunes.com/DTDs/Podcast-1.0.dtd\"",
	         "<itunes:duration>44</itunes:duration>");
	is_num(ep0(f)->duration, 44, "itunes URI with DTDs/Podcast");
	feed_free(f);
	f = item("", "<itunes:duration>45</itunes:duration>");
	is_num(ep0(f)->duration, 45, "undeclared itunes prefix still understood");
	feed_free(f);
	f = item("xmlns:p=\"http://podcastindex.org/namespace/1.0\"",
	         "<p:chapters url=\"https://e.com/c.json\" type=\"application/json+chapters\"/>");
	is_str(ep0(f)->chapters_url, "https://e.com/c.json",
	       "podcast namespace over http and another prefix");
	is_str(ep0(f)->chapters_type, "application/json+chapters", "chapters type");
	feed_free(f);
	f = item("xmlns:podcast=\"https://github.com/Podcastindex-org/podcast-namespace/blob/main/"
	         "docs/1.0.md\"",
	         "<podcast:chapters url=\"https://e.com/c2.json\"/>");
	is_str(ep0(f)->chapters_url, "https://e.com/c2.json",
	       "podcast namespace: the old GitHub URI");
	feed_free(f);
	f = P("<rss><channel><TiTlE>Case</TiTlE><ITEM><TITLE>i</TITLE></ITEM></channel></rss>");
	is_str(f ? f->title : NULL, "Case", "core element names are case-insensitive");
	feed_free(f);
}

static void test_serial(void)
{
	const char *serial =
	        "<rss " ITUNES "><channel><itunes:type>serial</itunes:type>"
	        "<item><title>three</title><pubDate>Wed, 03 Jan 2024 00:00:00 GMT</pubDate></item>"
	        "<item><title>two</title><pubDate>Tue, 02 Jan 2024 00:00:00 GMT</pubDate></item>"
	        "<item><title>one</title><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>"
	        "</channel></rss>";
	struct feed *f = P(serial);

	ok(f && f->n_episodes == 3, "serial feed parses");
	if (f && f->n_episodes == 3) {
		is_str(f->type, "serial", "itunes:type serial");
		is_str(f->episodes[0].title, "one", "serial: oldest first (0)");
		is_str(f->episodes[1].title, "two", "serial: oldest first (1)");
		is_str(f->episodes[2].title, "three", "serial: oldest first (2)");
	}
	feed_free(f);
	f = P("<rss " ITUNES "><channel><itunes:type>serial</itunes:type>"
	      "<item><title>b</title><itunes:episode>2</itunes:episode></item>"
	      "<item><title>a</title><itunes:episode>1</itunes:episode></item>"
	      "</channel></rss>");
	is_str(f && f->n_episodes == 2 ? f->episodes[0].title : NULL, "a",
	       "serial without dates: by episode number");
	feed_free(f);
	f = P("<rss " ITUNES "><channel><itunes:type>episodic</itunes:type>"
	      "<item><title>new</title><pubDate>Wed, 03 Jan 2024 00:00:00 GMT</pubDate></item>"
	      "<item><title>old</title><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>"
	      "</channel></rss>");
	is_str(f && f->n_episodes == 2 ? f->episodes[0].title : NULL, "new",
	       "episodic keeps feed order");
	is_str(f ? f->type : NULL, "episodic", "itunes:type episodic");
	feed_free(f);
}

static void test_media(void)
{
	struct feed *f;
	const char *mrss = "xmlns:media=\"http://search.yahoo.com/mrss/\"";

	f = item(mrss, "<media:content url=\"https://e.com/cover.jpg\" type=\"image/jpeg\"/>"
	               "<media:content url=\"https://e.com/ep.m4a\" type=\"audio/mp4\" "
	               "fileSize=\"555\" duration=\"61\"/>");
	is_str(ep0(f)->enc_url, "https://e.com/ep.m4a",
	       "media:content fallback takes the audio one");
	is_str(ep0(f)->enc_type, "audio/mp4", "media:content type");
	is_num((double)ep0(f)->enc_length, 555, "media:content fileSize");
	is_num(ep0(f)->duration, 61, "media:content duration as fallback");
	feed_free(f);
	f = item(mrss, "<media:group><media:content url=\"https://e.com/g.mp3\" medium=\"audio\"/>"
	               "</media:group>");
	is_str(ep0(f)->enc_url, "https://e.com/g.mp3", "media:group content");
	feed_free(f);
	f = item(mrss, "<media:content url=\"https://e.com/m.mp3\" type=\"audio/mpeg\"/>"
	               "<enclosure url=\"https://e.com/real.mp3\" type=\"audio/mpeg\"/>");
	is_str(ep0(f)->enc_url, "https://e.com/real.mp3", "enclosure wins over media:content");
	feed_free(f);
	f = item(mrss, "<media:content url=\"https://e.com/only.jpg\" type=\"image/jpeg\"/>");
	is_str(ep0(f)->enc_url, NULL, "an image media:content is no enclosure");
	feed_free(f);
	f = item("", "<enclosure url=\"https://e.com/t.pdf\" type=\"application/pdf\"/>"
	             "<enclosure url=\"https://e.com/a.mp3\" type=\"audio/mpeg\"/>");
	is_str(ep0(f)->enc_url, "https://e.com/a.mp3", "several enclosures: the audio one");
	feed_free(f);
}

static void test_podcast20(void)
{
	struct feed *f = P(
	        "<rss " PODCAST "><channel><title>P</title><podcast:guid>g-123</podcast:guid>"
	        "<podcast:funding url=\"https://e.com/donate\">Support us</podcast:funding>"
	        "<podcast:funding url=\"https://e.com/more\"/>"
	        "<podcast:person role=\"host\" img=\"https://e.com/h.jpg\">Hana</podcast:person>"
	        "<item><title>x</title>"
	        "<podcast:transcript url=\"https://e.com/t.vtt\" type=\"text/vtt\" language=\"en\" "
	        "rel=\"captions\"/>"
	        "<podcast:transcript url=\"https://e.com/t.srt\" type=\"application/x-subrip\"/>"
	        "<podcast:transcript type=\"text/html\"/>"
	        "<podcast:transcript url=\"file:///etc/passwd\" type=\"text/plain\"/>"
	        "<podcast:chapters url=\"https://e.com/c.json\" "
	        "type=\"application/json+chapters\"/>"
	        "<podcast:season>3</podcast:season><podcast:episode>12</podcast:episode>"
	        "<podcast:person role=\"guest\" href=\"https://e.com/g\">Gus</podcast:person>"
	        "</item></channel></rss>");
	const struct feed_episode *ep = ep0(f);

	ok(ep != NULL, "podcasting 2.0 feed parses");
	if (!ep)
		return;
	is_str(f->guid, "g-123", "podcast:guid");
	is_num((double)f->n_funding, 2, "two funding tags");
	is_str(f->funding[0].url, "https://e.com/donate", "funding url");
	is_str(f->funding[0].text, "Support us", "funding text");
	is_str(f->funding[1].text, NULL, "funding without text");
	is_num((double)f->n_persons, 1, "channel person");
	is_str(f->persons[0].role, "host", "person role");
	is_str(f->persons[0].img, "https://e.com/h.jpg", "person img");
	is_num((double)ep->n_transcripts, 2, "transcripts: all with a usable url");
	if (ep->n_transcripts == 2) {
		is_str(ep->transcripts[0].url, "https://e.com/t.vtt", "transcript url");
		is_str(ep->transcripts[0].type, "text/vtt", "transcript type");
		is_str(ep->transcripts[0].language, "en", "transcript language");
		is_str(ep->transcripts[0].rel, "captions", "transcript rel");
		is_str(ep->transcripts[1].type, "application/x-subrip", "second transcript type");
		is_str(ep->transcripts[1].rel, NULL, "second transcript without rel");
	}
	is_str(ep->chapters_url, "https://e.com/c.json", "podcast:chapters");
	is_num(ep->season, 3, "podcast:season fallback");
	is_num(ep->episode, 12, "podcast:episode fallback");
	is_str(ep->n_persons ? ep->persons[0].name : NULL, "Gus", "episode person");
	feed_free(f);
}

static void test_psc(void)
{
	struct feed *f = item(
	        "xmlns:psc=\"http://podlove.org/simple-chapters\"",
	        "<psc:chapters version=\"1.2\"><psc:chapter start=\"00:00:00\" title=\"Welcome\" "
	        "image=\"https://e.com/w.jpg\"/><psc:chapter start=\"00:03:07.250\" "
	        "title=\"Intro\" "
	        "href=\"https://e.com/intro\"/><psc:chapter start=\"08:26\" title=\"Third\"/>"
	        "<psc:chapter start=\"bogus\" title=\"Bad\"/><psc:chapter start=\"1:00:00.5\" "
	        "title=\"Hour\"/></psc:chapters>"
	        "<psc:chapters><psc:chapter start=\"0\" title=\"Ignored\"/></psc:chapters>");
	const struct feed_episode *ep = ep0(f);

	ok(ep && ep->n_psc == 4, "psc: four valid chapters, the second list ignored");
	if (ep && ep->n_psc == 4) {
		is_num(ep->psc[0].start, 0, "psc start 0");
		is_str(ep->psc[0].title, "Welcome", "psc title");
		is_str(ep->psc[0].image, "https://e.com/w.jpg", "psc image");
		is_num(ep->psc[1].start, 187.25, "psc start HH:MM:SS.mmm");
		is_str(ep->psc[1].href, "https://e.com/intro", "psc href");
		is_num(ep->psc[2].start, 506, "psc start MM:SS");
		is_num(ep->psc[3].start, 3600.5, "psc start H:MM:SS.f");
	}
	feed_free(f);
}

static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p < 0x20 && *p != '\n')
			return true;
		if (*p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return true;
		if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xae || p[2] == 0xad))
			return true;
	}
	return false;
}

static void test_sanitize(void)
{
	struct feed *f = P("<rss><channel><title>Evil\x1b]0;pwned\x07 title\x1b[2J</title>"
	                   "<item><title>a\xc2\x9b"
	                   "31mb \xe2\x80\xae"
	                   "rtl</title><description>line1\x1b[31m\nline2</description>"
	                   "<guid>g\x01</guid></item></channel></rss>");
	ok(f != NULL, "feed with control characters parses");
	if (!f)
		return;
	ok(f->title && !has_control(f->title), "feed title: no control characters (%s)",
	   f->title ? f->title : "(null)");
	ok(f->title && strstr(f->title, "Evil") && strstr(f->title, "title"),
	   "feed title: text kept");
	ok(ep0(f) && ep0(f)->title && !has_control(ep0(f)->title),
	   "episode title: no C1 CSI or bidi override");
	ok(ep0(f) && ep0(f)->description && !has_control(ep0(f)->description) &&
	           strchr(ep0(f)->description, '\n'),
	   "description: escapes gone, newline kept");
	ok(ep0(f) && ep0(f)->guid && !has_control(ep0(f)->guid), "guid sanitized");
	feed_free(f);
	f = item("", "<title>&lt;b&gt;bold&lt;/b&gt; &amp; co</title>");
	is_str(ep0(f)->title, "<b>bold</b> & co", "titles are text, not HTML");
	feed_free(f);
}

static void test_security(void)
{
	struct feed *f;
	char path[] = "/tmp/hark-test-feed-XXXXXX";
	int fd;
	char *xml;
	struct buf b = {0};

	/* billion laughs */
	buf_puts(&b, "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\">");
	for (int i = 1; i <= 10; i++) {
		buf_printf(&b, "<!ENTITY a%d \"", i);
		for (int k = 0; k < 10; k++)
			buf_printf(&b, i == 1 ? "&a;" : "&a%d;", i - 1);
		buf_puts(&b, "\">");
	}
	buf_puts(&b, "]><rss><channel><title>&a10;</title><item><title>&a10;</title></item>"
	             "</channel></rss>");
	f = P(b.data);
	ok(f == NULL, "entity bomb rejected");
	ok(strstr(e.msg, "entity") != NULL, "entity bomb error says why: %s", e.msg);
	feed_free(f);
	buf_free(&b);
	/* a quadratic blowup (one big entity referenced many times) */
	buf_puts(&b, "<!DOCTYPE rss [<!ENTITY big \"");
	for (int i = 0; i < 20000; i++)
		buf_puts(&b, "xxxxx");
	buf_puts(&b, "\">]><rss><channel><title>t</title><description>");
	for (int i = 0; i < 20000; i++)
		buf_puts(&b, "&big;");
	buf_puts(&b, "</description></channel></rss>");
	f = P(b.data);
	ok(f == NULL || f->description == NULL || strlen(f->description) < 64u * 1024 * 1024,
	   "quadratic entity blowup bounded");
	feed_free(f);
	buf_free(&b);

	/* external entity pointing at a local file */
	fd = mkstemp(path);
	ok(fd >= 0, "temp file");
	if (fd >= 0) {
		ok(write(fd, "TOPSECRET", 9) == 9, "secret written");
		close(fd);
	}
	xml = str_printf("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file://%s\">"
	                 "<!ENTITY y SYSTEM \"%s\">]>"
	                 "<rss><channel><title>A&x;B&y;C</title><item><title>&x;</title>"
	                 "<description>&y;</description></item></channel></rss>",
	                 path, path);
	f = PL(xml, "/tmp/feed.xml");
	ok(f != NULL, "document with external entities parses");
	if (f) {
		ok(f->title && strstr(f->title, "TOPSECRET") == NULL,
		   "external entity not read (%s)", f->title ? f->title : "(null)");
		ok(ep0(f) && (ep0(f)->title == NULL || !strstr(ep0(f)->title, "TOPSECRET")) &&
		           (ep0(f)->description == NULL ||
		            !strstr(ep0(f)->description, "TOPSECRET")),
		   "external entity not read in items");
	}
	feed_free(f);
	free(xml);
	xml = str_printf("<?xml version=\"1.0\"?><!DOCTYPE rss SYSTEM \"%s\"><rss><channel>"
	                 "<title>t</title></channel></rss>",
	                 path);
	f = PL(xml, "/tmp/feed.xml");
	ok(f && f->title && !strcmp(f->title, "t"), "external DTD ignored");
	feed_free(f);
	free(xml);
	unlink(path);
}

static void test_encodings(void)
{
	struct feed *f;
	const char cp1252[] =
	        "<rss><channel><title>Caf\xe9 \x93quoted\x94 \x80</title></channel></rss>";
	const char lying[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel>"
	                     "<title>na\xefve</title></channel></rss>";
	const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel>"
	                      "<title>\xe9t\xe9</title></channel></rss>";
	const char bom[] = "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel>"
	                   "<title>BOM \xc3\xa9</title></channel></rss>";
	const char koi8[] = "<?xml version=\"1.0\" encoding=\"KOI8-R\"?><rss><channel>"
	                    "<title>\xf0\xd2\xc9\xd7\xc5\xd4</title></channel></rss>";
	const char nul[] = "<rss><channel><title>N\0U\0L</title><item><title>i</title></item>"
	                   "</channel></rss>";

	f = P(cp1252);
	is_str(f ? f->title : NULL, "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac",
	       "undeclared Windows-1252");
	feed_free(f);
	f = P(lying);
	is_str(f ? f->title : NULL, "na\xc3\xafve", "Windows-1252 declared as UTF-8");
	feed_free(f);
	f = P(latin1);
	is_str(f ? f->title : NULL, "\xc3\xa9t\xc3\xa9", "declared ISO-8859-1 respected");
	feed_free(f);
	f = P(bom);
	is_str(f ? f->title : NULL, "BOM \xc3\xa9", "UTF-8 BOM");
	feed_free(f);
	f = P(koi8);
	is_str(f ? f->title : NULL, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
	       "declared KOI8-R converted");
	feed_free(f);
	f = feed_parse(nul, sizeof(nul) - 1, NULL, false, &e);
	ok(f && f->title && !strcmp(f->title, "NUL") && f->n_episodes == 1, "NUL bytes ignored");
	feed_free(f);
	f = item("", "<title>Q&amp;A &eacute;t&eacute; &nbsp;&copy; R&D</title>");
	is_str(ep0(f)->title, "Q&A \xc3\xa9t\xc3\xa9 \xc2\xa9 R&D",
	       "HTML entities and a stray & in XML");
	feed_free(f);
	f = item("", "<link>http://e.com/get?a=1&b=2</link>");
	is_str(ep0(f)->link, "http://e.com/get?a=1&b=2", "stray & in a URL");
	feed_free(f);
}

static void test_identity(void)
{
	struct feed_episode ep;
	char *k;

	memset(&ep, 0, sizeof(ep));
	ep.published = 1704164645;
	ep.guid = (char *)"guid-1";
	ep.enc_url = (char *)"https://e.com/a.mp3";
	ep.title = (char *)"Title";
	k = feed_episode_key(&ep);
	is_str(k, "guid-1", "key: guid first");
	free(k);
	ep.guid = NULL;
	k = feed_episode_key(&ep);
	is_str(k, "https://e.com/a.mp3", "key: else the enclosure URL");
	free(k);
	ep.enc_url = NULL;
	k = feed_episode_key(&ep);
	is_str(k, "Title|1704164645", "key: else title|published");
	free(k);
	ep.title = NULL;
	ep.published = -1;
	k = feed_episode_key(&ep);
	is_str(k, "|-1", "key: nothing at all");
	free(k);
}

static void test_urls(void)
{
	static const char nobase[] = "<rss><channel><item><enclosure url=\"file:///etc/passwd\"/>"
	                             "<link>javascript:alert(1)</link></item><item>"
	                             "<enclosure url=\"ftp://e.com/x.mp3\"/></item><item>"
	                             "<enclosure url=\"rel.mp3\"/></item></channel></rss>";
	struct feed *f;
	const char *body = "<enclosure url=\"media/ep%201.mp3\" type=\"audio/mpeg\"/>"
	                   "<podcast:transcript url=\"file:///srv/t%20x.vtt\" type=\"text/vtt\"/>"
	                   "<podcast:transcript url=\"/abs/t.srt\" type=\"application/srt\"/>"
	                   "<podcast:chapters url=\"ch.json\" type=\"application/json\"/>";
	char *xml = str_printf("<rss " PODCAST "><channel><title>L</title><item>%s</item>"
	                       "</channel></rss>",
	                       body);

	f = PL(xml, "/nonexistent-hark/dir/feed.xml");
	ok(ep0(f) != NULL, "local feed parses");
	if (ep0(f)) {
		is_str(ep0(f)->enc_url, "/nonexistent-hark/dir/media/ep%201.mp3",
		       "local: relative enclosure resolved against the feed's folder");
		is_num((double)ep0(f)->n_transcripts, 2,
		       "local: file:// and path transcripts kept");
		if (ep0(f)->n_transcripts == 2) {
			is_str(ep0(f)->transcripts[0].url, "/srv/t x.vtt",
			       "local: file:// becomes a path");
			is_str(ep0(f)->transcripts[1].url, "/abs/t.srt",
			       "local: absolute path kept");
		}
		is_str(ep0(f)->chapters_url, "/nonexistent-hark/dir/ch.json",
		       "local: chapters path");
	}
	feed_free(f);
	f = P(xml);
	ok(ep0(f) != NULL, "remote feed parses");
	if (ep0(f)) {
		is_str(ep0(f)->enc_url, "https://example.com/feeds/media/ep%201.mp3",
		       "remote: relative URL resolved against the feed URL");
		is_num((double)ep0(f)->n_transcripts, 1, "remote: file:// transcript dropped");
		if (ep0(f)->n_transcripts == 1)
			is_str(ep0(f)->transcripts[0].url, "https://example.com/abs/t.srt",
			       "remote: absolute path resolved against the host");
		is_str(ep0(f)->chapters_url, "https://example.com/feeds/ch.json",
		       "remote: relative chapters");
	}
	feed_free(f);
	free(xml);
	f = feed_parse(nobase, strlen(nobase), NULL, false, &e);
	ok(f && f->n_episodes == 3, "remote feed without base parses");
	if (f && f->n_episodes == 3) {
		is_str(f->episodes[0].enc_url, NULL, "remote: file:// enclosure dropped");
		is_str(f->episodes[0].link, NULL, "javascript: link dropped");
		is_str(f->episodes[1].enc_url, NULL, "remote: ftp:// enclosure dropped");
		is_str(f->episodes[2].enc_url, NULL,
		       "remote: relative enclosure without base dropped");
	}
	feed_free(f);
	f = item("", "<guid>https://example.com/perma</guid>");
	is_str(ep0(f)->link, "https://example.com/perma", "permalink guid as link");
	feed_free(f);
	f = item("", "<guid isPermaLink=\"false\">https://example.com/notperma</guid>");
	is_str(ep0(f)->link, NULL, "isPermaLink=false guid is no link");
	feed_free(f);
	f = item("", "<guid>abc-123</guid>");
	is_str(ep0(f)->link, NULL, "an opaque guid (isPermaLink absent) is no link");
	is_str(ep0(f)->guid, "abc-123", "and is still the guid");
	feed_free(f);
	f = PL("<rss version=\"2.0\"><channel><title>L</title><item><guid>abc-123</guid>"
	       "</item></channel></rss>",
	       "/nonexistent-hark/dir/feed.xml");
	is_str(ep0(f)->link, NULL, "local feed: an opaque guid is not made a path");
	feed_free(f);
	f = P("<rss version=\"2.0\" xml:base=\"https://example.com/\"><channel><title>B</title>"
	      "<item><guid>abc-123</guid></item></channel></rss>");
	is_str(ep0(f)->link, NULL, "xml:base: an opaque guid is not resolved into a URL");
	feed_free(f);
}

static void test_sloppy(void)
{
	struct feed *f;

	f = P("<rss><channel><description></description><description>  </description>"
	      "<description>Second</description><description>Third</description>"
	      "<link>https://a.example/</link><link>https://b.example/</link></channel></rss>");
	is_str(f ? f->description : NULL, "Second", "several descriptions: first non-empty");
	is_str(f ? f->link : NULL, "https://a.example/", "several links: the first");
	is_str(f ? f->title : "x", NULL, "feed without title: NULL");
	feed_free(f);
	f = P("<html><body><p>hello</p></body></html>");
	ok(f == NULL && strstr(e.msg, "not an RSS or Atom feed"), "html page: %s", e.msg);
	f = P("this is not xml at all");
	ok(f == NULL && strstr(e.msg, "not an RSS or Atom feed"), "garbage: %s", e.msg);
	f = feed_parse("", 0, NULL, false, &e);
	ok(f == NULL && strstr(e.msg, "not an RSS or Atom feed"), "empty: %s", e.msg);
	f = P("<rss version=\"2.0\"><notchannel/></rss>");
	ok(f == NULL && strstr(e.msg, "not an RSS or Atom feed"), "rss without channel: %s", e.msg);
	f = P("<rss><title>Chanless</title><item><title>i</title></item></rss>");
	ok(f && f->title && !strcmp(f->title, "Chanless") && f->n_episodes == 1,
	   "items straight under <rss> still parse");
	feed_free(f);
	f = P("<rss><channel><title>Unclosed<item><title>x</title></item></channel>");
	ok(f != NULL, "truncated document recovers");
	feed_free(f);
	f = P("<rss><channel><title>A</title></channel><channel><item><title>two</title></item>"
	      "</channel></rss>");
	ok(f && f->n_episodes == 1, "items of a second channel are kept");
	feed_free(f);
	/* Items become episodes as each one ends (the tree never holds them
	 * all); the order is still: each channel's items, then the root's. */
	f = P("<rss><item><title>r1</title></item><channel><item><title>c1</title></item>"
	      "</channel><item><title>r2</title></item><channel><item><title>d1</title></item>"
	      "<item><title>d2</title></item></channel></rss>");
	ok(f && f->n_episodes == 5 && !strcmp(f->episodes[0].title, "c1") &&
	           !strcmp(f->episodes[1].title, "d1") && !strcmp(f->episodes[2].title, "d2") &&
	           !strcmp(f->episodes[3].title, "r1") && !strcmp(f->episodes[4].title, "r2"),
	   "items: channel by channel, then those beside the channels");
	feed_free(f);
	f = P("<channel><title>Bare</title><item><title>a</title></item>\n <item><title>b</title>"
	      "</item>\n</channel>");
	ok(f && f->n_episodes == 2 && !strcmp(f->episodes[1].title, "b"),
	   "a bare <channel> root: each item once");
	feed_free(f);
	f = P("<rss><channel><title>T</title>\n<item><title>a</title></item>\n  text after\n"
	      "<item><title>b</title><description>cut");
	ok(f && f->n_episodes == 2 && !strcmp(f->episodes[0].title, "a") &&
	           !strcmp(f->episodes[1].title, "b") && f->episodes[1].description &&
	           !strcmp(f->episodes[1].description, "cut"),
	   "truncated inside an item: the items before it and the open one");
	feed_free(f);
	{
		/* many items, text between them: the tree of each is freed as
		 * it ends (run under the sanitizers) */
		struct buf b = {0};

		buf_puts(&b, "<rss><channel><title>Many</title>");
		for (int i = 0; i < 3000; i++)
			buf_printf(&b,
			           "\n  <item><guid>g%d</guid><title>t%d &amp; more</title>"
			           "<description><![CDATA[<p>para %d</p>]]></description></item>"
			           " stray %d ",
			           i, i, i, i);
		buf_puts(&b, "</channel></rss>");
		f = feed_parse(b.data, b.len, NULL, false, &e);
		ok(f && f->n_episodes == 3000 && !strcmp(f->episodes[2999].guid, "g2999") &&
		           !strcmp(f->episodes[1234].title, "t1234 & more") &&
		           !strcmp(f->episodes[1234].description, "para 1234"),
		   "3000 items streamed");
		buf_free(&b);
	}
	feed_free(f);
}

/* Parse doc from a read-only file mapping, as a spooled download is. */
static struct feed *parse_mapped(const char *doc, size_t len)
{
	char path[] = "/tmp/hark-test-feed-XXXXXX";
	int fd = mkstemp(path);
	struct feed *f = NULL;
	void *m;

	if (fd < 0)
		return NULL;
	unlink(path);
	if (write(fd, doc, len) == (ssize_t)len &&
	    (m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0)) != MAP_FAILED) {
		f = feed_parse_mapped(m, len, "https://m.example/feed", false, &e);
		munmap(m, len);
	}
	close(fd);
	return f;
}

static void test_mapped(void)
{
	struct buf b = {0};
	struct feed *f, *g;

	/* several MB, so that pages are dropped behind the parse; then a
	 * Windows-1252 byte near the end makes the parse start over with that
	 * encoding, reading the dropped pages again */
	buf_puts(&b, "<?xml version=\"1.0\"?><rss><channel><title>Mapped</title>");
	for (int i = 0; i < 20000; i++)
		buf_printf(&b,
		           "<item><guid>m%d</guid><title>t%d</title><description>%0200d"
		           "</description><enclosure url=\"/a/%d.mp3\"/></item>\n",
		           i, i, i, i);
	f = parse_mapped(b.data, b.len);
	g = feed_parse(b.data, b.len, "https://m.example/feed", false, &e);
	ok(f && g && f->n_episodes == 20000 && g->n_episodes == 20000 &&
	           !strcmp(f->episodes[19999].guid, "m19999") &&
	           !strcmp(f->episodes[123].enc_url, "https://m.example/a/123.mp3") &&
	           !strcmp(f->episodes[123].description, g->episodes[123].description),
	   "a mapped document parses as the same bytes in memory do");
	feed_free(f);
	feed_free(g);
	buf_puts(&b, "<item><guid>last</guid><title>caf\xe9</title></item></channel></rss>");
	f = parse_mapped(b.data, b.len);
	ok(f && f->n_episodes == 20001 && !strcmp(f->episodes[0].guid, "m0") &&
	           !strcmp(f->episodes[20000].title, "caf\xc3\xa9"),
	   "mapped: undeclared Windows-1252 reparsed after pages were dropped");
	feed_free(f);
	buf_free(&b);
}

/* Item i of test_pool_feed: descriptions of every kind the parser meets
 * (HTML in CDATA, plain text with paragraphs, escaped HTML, blank, a richer
 * itunes:summary), so each is converted in the pool the way it is alone. */
static char *pool_item_body(int i)
{
	switch (i % 5) {
	case 0:
		return str_printf("<guid>g%d</guid><content:encoded><![CDATA[<p>Item <b>%d</b>"
		                  "</p><ul><li>one</li><li>two</li></ul><p><a href=\"https://e.com/"
		                  "%d\">link</a> and some more words to make it longer</p>]]>"
		                  "</content:encoded><description>short</description>",
		                  i, i, i);
	case 1:
		return str_printf(
		        "<guid>g%d</guid><description>Plain words of item %d.\n\n"
		        "A second paragraph, a little longer than the first.</description>",
		        i, i);
	case 2:
		return str_printf("<guid>g%d</guid><description>&lt;p&gt;escaped %d &amp;amp; html"
		                  "&lt;/p&gt;&lt;p&gt;two&lt;/p&gt;</description>",
		                  i, i);
	case 3:
		return str_printf("<guid>g%d</guid><description>   </description>", i);
	default:
		return str_printf("<guid>g%d</guid><itunes:summary>Summary of %d, longer than its"
		                  " description.\n\nWith paragraphs.</itunes:summary>"
		                  "<description>s</description>",
		                  i, i);
	}
}

#define POOL_NS "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" " ITUNES

/* How many of f's episodes have a description other than their item's
 * parsed alone (a small document: converted without the pool); -1 when an
 * episode is missing. */
static int pool_mismatches(const struct feed *f, int n)
{
	int bad = 0;

	for (int i = 0; i < n; i++) {
		char *body = pool_item_body(i), *guid = str_printf("g%d", i);
		struct feed *one = item(POOL_NS, body);
		const struct feed_episode *ep = NULL;

		for (size_t k = 0; f && k < f->n_episodes && ep == NULL; k++)
			if (f->episodes[k].guid && !strcmp(f->episodes[k].guid, guid))
				ep = &f->episodes[k];
		if (ep == NULL || one == NULL || one->n_episodes != 1) {
			bad = -1;
		} else if (bad >= 0) {
			const char *a = ep->description, *b = one->episodes[0].description;

			if (!((a == NULL && b == NULL) || (a && b && !strcmp(a, b))))
				bad++;
		}
		feed_free(one);
		free(body);
		free(guid);
	}
	return bad;
}

/* User + system CPU seconds of who (RUSAGE_SELF, RUSAGE_THREAD). */
static double cpu_of(int who)
{
	struct rusage u;

	if (getrusage(who, &u) != 0)
		return 0;
	return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
	       (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/* Whether this process gets a description pool (more than one CPU). */
static bool pool_possible(void)
{
	struct html_pool *p = html_pool_new(NULL);

	html_pool_free(p);
	return p != NULL;
}

/* A big document's descriptions are converted on the other cores
 * (html_pool): each episode must get its own item's, as when parsed alone;
 * also when episodes are reordered (an item before the <channel> comes
 * last), when a Windows-1252 byte makes the whole document parse again,
 * and when a truncated document leaves its last item unclosed. */
static void test_pool_feed(void)
{
	enum { N = 4000 };
	struct buf b = {0};
	struct feed *f;
	double others;
	int bad;

	buf_puts(&b, "<rss version=\"2.0\" " POOL_NS "><item><guid>root</guid><description>"
	             "&lt;b&gt;outside&lt;/b&gt; the channel</description></item>"
	             "<channel><title>Pool</title>");
	for (int i = 0; i < N; i++) {
		char *body = pool_item_body(i);

		buf_printf(&b, "<item>%s</item>\n", body);
		free(body);
	}
	ok(b.len > 512 * 1024, "a %zu-byte document (the pool starts at 512 KiB)", b.len);
	buf_puts(&b, "</channel></rss>");
	others = cpu_of(RUSAGE_SELF) - cpu_of(RUSAGE_THREAD);
	f = P(b.data);
	others = cpu_of(RUSAGE_SELF) - cpu_of(RUSAGE_THREAD) - others;
	/* the pool's workers have ended; their CPU time is the process's less
	 * this thread's */
	if (pool_possible())
		ok(others > 0.0005, "the parse converted descriptions on another thread (%.1f ms)",
		   others * 1000);
	else
		ok(others < 0.0005, "on one CPU the parse stays on this thread (%.1f ms elsewhere)",
		   others * 1000);
	ok(f && f->n_episodes == N + 1 && !strcmp(f->episodes[N].guid, "root") &&
	           f->episodes[N].description &&
	           !strcmp(f->episodes[N].description, "outside the channel"),
	   "%d episodes, the item outside the channel last with its description", N + 1);
	bad = pool_mismatches(f, N);
	ok(bad == 0, "every description is its own item's (%d differ)", bad);
	feed_free(f);
	/* again with a Windows-1252 byte near the end, and cut inside the
	 * last item (no closing tags) */
	b.len -= strlen("</channel></rss>");
	buf_puts(&b, "<item><guid>last</guid><title>caf\xe9</title><description>&lt;i&gt;"
	             "cut&lt;/i&gt; short</description>");
	f = P(b.data);
	ok(f && f->n_episodes == N + 2 && !strcmp(f->episodes[N].guid, "last") &&
	           !strcmp(f->episodes[N].title, "caf\xc3\xa9") && f->episodes[N].description &&
	           !strcmp(f->episodes[N].description, "cut short"),
	   "reparsed as Windows-1252 and cut short: the unclosed item has its description");
	bad = pool_mismatches(f, N);
	ok(bad == 0, "and every other description is its own item's (%d differ)", bad);
	feed_free(f);
	buf_free(&b);
}

static void test_description(void)
{
	struct feed *f;

	f = item("xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" " ITUNES,
	         "<description>Short one</description>"
	         "<content:encoded><![CDATA[<p>The <b>long</b> one</p><ul><li>x</li></ul>"
	         "<p>Link <a href=\"https://e.com/\">here</a></p>]]></content:encoded>"
	         "<itunes:summary>Mid length text</itunes:summary>");
	is_str(ep0(f)->description,
	       "The long one\n\n\xe2\x80\xa2 x\n\nLink here [1]\n\n[1] https://e.com/",
	       "content:encoded is the richest, converted");
	feed_free(f);
	f = item(
	        ITUNES,
	        "<description>Short</description>"
	        "<itunes:summary>A much longer summary text.\n\nWith paragraphs.</itunes:summary>");
	is_str(ep0(f)->description, "A much longer summary text.\n\nWith paragraphs.",
	       "itunes:summary when richest; plain text keeps paragraphs");
	feed_free(f);
	f = item("", "<description>&lt;p&gt;escaped &amp;amp; html&lt;/p&gt;</description>");
	is_str(ep0(f)->description, "escaped & html", "escaped HTML description");
	feed_free(f);
	f = item("", "<description><p>raw</p><p>html</p></description>");
	is_str(ep0(f)->description, "raw\n\nhtml", "unescaped HTML description");
	feed_free(f);
	f = item("", "<description>   </description>");
	is_str(ep0(f)->description, NULL, "blank description is NULL");
	feed_free(f);
}

static void test_json(void)
{
	struct feed *f = item("", "<title>J</title><pubDate>Tue, 02 Jan 2024 03:04:05 GMT</pubDate>"
	                          "<enclosure url=\"https://e.com/j.mp3\"/>");
	json_t *j, *ep, *enc;
	static const char *const feed_keys[] = {"title", "link",         "description",
	                                        "image", "author",       "language",
	                                        "type",  "new_feed_url", "episodes"};
	static const char *const ep_keys[] = {
	        "guid",        "title",        "published",     "duration",
	        "enclosure",   "description",  "link",          "image",
	        "season",      "episode",      "episode_type",  "explicit",
	        "transcripts", "chapters_url", "chapters_type", "psc_chapters"};
	bool all = true;

	j = f ? feed_to_json(f) : NULL;
	ok(j != NULL, "feed_to_json");
	if (!j) {
		feed_free(f);
		return;
	}
	for (size_t i = 0; i < HARK_ARRAY_LEN(feed_keys); i++)
		all &= json_object_get(j, feed_keys[i]) != NULL;
	ok(all, "every feed key present");
	ep = json_array_get(json_object_get(j, "episodes"), 0);
	all = ep != NULL;
	for (size_t i = 0; ep && i < HARK_ARRAY_LEN(ep_keys); i++)
		all &= json_object_get(ep, ep_keys[i]) != NULL;
	ok(all, "every episode key present");
	ok(json_is_null(json_object_get(j, "link")), "absent feed link is null");
	is_str(json_string_value(json_object_get(ep, "published")), "2024-01-02T03:04:05Z",
	       "published as ISO 8601 UTC");
	ok(json_is_null(json_object_get(ep, "duration")), "absent duration is null");
	ok(json_is_null(json_object_get(ep, "season")), "absent season is null");
	ok(json_is_null(json_object_get(ep, "explicit")), "unknown explicit is null");
	enc = json_object_get(ep, "enclosure");
	is_str(json_string_value(json_object_get(enc, "url")), "https://e.com/j.mp3",
	       "enclosure url");
	ok(json_is_null(json_object_get(enc, "length")), "enclosure length null");
	ok(json_is_array(json_object_get(ep, "transcripts")), "transcripts is an array");
	json_decref(j);
	feed_free(f);
	f = item(ITUNES, "<itunes:duration>1:02:03.5</itunes:duration>");
	j = f ? feed_to_json(f) : NULL;
	ep = j ? json_array_get(json_object_get(j, "episodes"), 0) : NULL;
	ok(ep && json_is_null(json_object_get(ep, "enclosure")), "no enclosure: null");
	is_num(ep ? json_number_value(json_object_get(ep, "duration")) : 0, 3723.5,
	       "duration is a number");
	json_decref(j);
	feed_free(f);
}

int main(void)
{
	test_rss2();
	test_rss091_and_rdf();
	test_atom();
	test_namespaces();
	test_serial();
	test_media();
	test_podcast20();
	test_psc();
	test_sanitize();
	test_security();
	test_encodings();
	test_identity();
	test_urls();
	test_sloppy();
	test_description();
	test_json();
	test_mapped();
	test_pool_feed();
	return tap_done();
}
