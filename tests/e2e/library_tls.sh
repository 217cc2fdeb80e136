#!/bin/bash
# library_tls.sh - TLS is always verified: a feed on an https server with a
# private CA fails without --cacert (or HARK_CACERT) and works with it.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/nginx.sh"
need openssl
mk_home

doc=$(mk_temp doc)
pki=$(mk_temp pki)
printf '<rss version="2.0"><channel><title>Secure Show</title><item><guid>s1</guid>
<title>s</title><enclosure url="https://example.org/s.mp3" type="audio/mpeg"/></item>
</channel></rss>\n' >"$doc/feed.xml"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
	-addext "subjectAltName=IP:127.0.0.1" -keyout "$pki/key.pem" -out "$pki/cert.pem" \
	>"$pki/log" 2>&1 || bail "openssl could not make a certificate: $(cat "$pki/log")"
tls_port=$(free_port)
NGINX_EXTRA_CONF="listen 127.0.0.1:$tls_port ssl; ssl_certificate $pki/cert.pem; ssl_certificate_key $pki/key.pem;"
nginx_start "$doc"
wait_port "$tls_port" || bail "nginx does not listen on the TLS port"
url=https://127.0.0.1:$tls_port/feed.xml

run "$HARK" add "$url"
is "$run_rc" 2 "an unknown CA is refused"
like "$run_err" "^hark: add: $url: .*(certificate|SSL)" "with a certificate error"

run "$HARK" add --cacert "$pki/cert.pem" "$url"
is "$run_rc" 0 "--cacert trusts the private CA"
like "$run_out" 'added feed 1: Secure Show' "and the feed is subscribed"

run "$HARK" update
is "$run_rc" 2 "update without the CA fails again (verification is never skipped)"
HARK_CACERT=$pki/cert.pem run "$HARK" update
is "$run_rc" 0 "HARK_CACERT trusts the private CA"
like "$run_out" '^feed 1: Secure Show: unchanged$' "and the conditional GET works over TLS"

done_testing
