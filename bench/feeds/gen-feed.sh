#!/bin/bash
# gen-feed.sh N [WORDS] - print an RSS 2.0 podcast feed with N episodes, each
# with a long HTML description (content:encoded, WORDS words, default 460,
# about 5 KB), an enclosure, an iTunes duration and a Podcasting 2.0
# transcript. 5000 episodes come to about 25 MB. Deterministic output.
n=${1:?usage: gen-feed.sh N [WORDS]}
words=${2:-460}
awk -v n="$n" -v words="$words" 'BEGIN {
	split("podcast episode interview market policy science history music " \
	      "garden river city library bridge evening morning question answer " \
	      "research story listener weather harvest journey", w, " ")
	nw = 0; for (k in w) nw++
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"" \
	      " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"" \
	      " xmlns:podcast=\"https://podcastindex.org/namespace/1.0\">"
	print "<channel><title>Benchmark Broadcast</title><link>https://bench.example/</link>"
	print "<description>A generated feed for benchmarks.</description><language>en</language>"
	print "<itunes:author>hark bench</itunes:author>"
	seed = 1
	for (i = n; i >= 1; i--) {
		day = 1 + (i % 28); mon = 1 + int(i / 28) % 12; year = 2000 + int(i / 336)
		printf "<item><guid isPermaLink=\"false\">bench-%d</guid>", i
		printf "<title>Episode %d: the %s of the %s</title>", i, w[1 + i % nw], w[1 + (i * 7) % nw]
		printf "<pubDate>%02d %s %d 06:00:00 GMT</pubDate>", day, \
			substr("JanFebMarAprMayJunJulAugSepOctNovDec", 3 * mon - 2, 3), year
		printf "<itunes:duration>%d:%02d:%02d</itunes:duration>", 1 + i % 2, i % 60, (i * 13) % 60
		printf "<enclosure url=\"https://bench.example/audio/%d.mp3\" type=\"audio/mpeg\" length=\"%d\"/>", i, 30000000 + i
		printf "<podcast:transcript url=\"https://bench.example/t/%d.vtt\" type=\"text/vtt\"/>", i
		printf "<content:encoded><![CDATA[<p>"
		for (k = 1; k <= words; k++) {
			seed = (seed * 1103515245 + 12345) % 2147483648
			word = w[1 + int(seed / 65536) % nw]
			if (k % 60 == 0) printf "</p>\n<p>"
			else if (k % 23 == 0) printf "<a href=\"https://bench.example/%d/%d\">%s</a> ", i, k, word
			else if (k % 17 == 0) printf "<b>%s</b> &amp; ", word
			else printf "%s ", word
		}
		printf "</p><ul><li>one</li><li>two</li></ul>]]></content:encoded></item>\n"
	}
	print "</channel></rss>"
}'
