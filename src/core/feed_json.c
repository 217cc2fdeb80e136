/* feed_json.c - struct feed as the `hark parse --json` object. Every key is
 * always present (null when absent), in a fixed order. */
#include "config.h"

#include <math.h>

#include <jansson.h>

#include "hark/datetime.h"
#include "hark/jsonutil.h"
#include "hark/feed.h"

static json_t *jint(int v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/* Seconds: an integer when whole, else a real; null when unknown. */
static json_t *jsecs(double v)
{
	if (v < 0 || isnan(v) || isinf(v))
		return json_null();
	if (v == floor(v) && v < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *jtri(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

static json_t *persons_json(const struct feed_person *p, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "name", json_str_or_null(p[i].name));
		json_object_set_new(o, "role", json_str_or_null(p[i].role));
		json_object_set_new(o, "group", json_str_or_null(p[i].group));
		json_object_set_new(o, "href", json_str_or_null(p[i].href));
		json_object_set_new(o, "img", json_str_or_null(p[i].img));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *episode_json(const struct feed_episode *ep)
{
	json_t *o = json_object(), *a;
	char iso[32];

	json_object_set_new(o, "guid", json_str_or_null(ep->guid));
	json_object_set_new(o, "title", json_str_or_null(ep->title));
	json_object_set_new(o, "published",
	                    json_str_or_null(datetime_format_iso(ep->published, iso)));
	json_object_set_new(o, "duration", jsecs(ep->duration));
	if (ep->enc_url) {
		json_t *enc = json_object();

		json_object_set_new(enc, "url", json_string(ep->enc_url));
		json_object_set_new(enc, "type", json_str_or_null(ep->enc_type));
		json_object_set_new(enc, "length",
		                    ep->enc_length < 0 ? json_null()
		                                       : json_integer((json_int_t)ep->enc_length));
		json_object_set_new(o, "enclosure", enc);
	} else {
		json_object_set_new(o, "enclosure", json_null());
	}
	json_object_set_new(o, "description", json_str_or_null(ep->description));
	json_object_set_new(o, "link", json_str_or_null(ep->link));
	json_object_set_new(o, "image", json_str_or_null(ep->image));
	json_object_set_new(o, "season", jint(ep->season));
	json_object_set_new(o, "episode", jint(ep->episode));
	json_object_set_new(o, "episode_type", json_str_or_null(ep->episode_type));
	json_object_set_new(o, "explicit", jtri(ep->explicit_));
	a = json_array();
	for (size_t i = 0; i < ep->n_transcripts; i++) {
		json_t *t = json_object();

		json_object_set_new(t, "url", json_str_or_null(ep->transcripts[i].url));
		json_object_set_new(t, "type", json_str_or_null(ep->transcripts[i].type));
		json_object_set_new(t, "language", json_str_or_null(ep->transcripts[i].language));
		json_object_set_new(t, "rel", json_str_or_null(ep->transcripts[i].rel));
		json_array_append_new(a, t);
	}
	json_object_set_new(o, "transcripts", a);
	json_object_set_new(o, "chapters_url", json_str_or_null(ep->chapters_url));
	json_object_set_new(o, "chapters_type", json_str_or_null(ep->chapters_type));
	a = json_array();
	for (size_t i = 0; i < ep->n_psc; i++) {
		json_t *c = json_object();

		json_object_set_new(c, "start", jsecs(ep->psc[i].start));
		json_object_set_new(c, "title", json_str_or_null(ep->psc[i].title));
		json_object_set_new(c, "href", json_str_or_null(ep->psc[i].href));
		json_object_set_new(c, "image", json_str_or_null(ep->psc[i].image));
		json_array_append_new(a, c);
	}
	json_object_set_new(o, "psc_chapters", a);
	/* beyond the list */
	json_object_set_new(o, "subtitle", json_str_or_null(ep->subtitle));
	json_object_set_new(o, "author", json_str_or_null(ep->author));
	json_object_set_new(o, "block", json_boolean(ep->block));
	json_object_set_new(o, "persons", persons_json(ep->persons, ep->n_persons));
	return o;
}

json_t *feed_to_json(const struct feed *f)
{
	json_t *o = json_object(), *a;

	json_object_set_new(o, "title", json_str_or_null(f->title));
	json_object_set_new(o, "link", json_str_or_null(f->link));
	json_object_set_new(o, "description", json_str_or_null(f->description));
	json_object_set_new(o, "image", json_str_or_null(f->image));
	json_object_set_new(o, "author", json_str_or_null(f->author));
	json_object_set_new(o, "language", json_str_or_null(f->language));
	json_object_set_new(o, "type", json_str_or_null(f->type));
	json_object_set_new(o, "new_feed_url", json_str_or_null(f->new_feed_url));
	/* beyond the list */
	json_object_set_new(o, "subtitle", json_str_or_null(f->subtitle));
	json_object_set_new(o, "explicit", jtri(f->explicit_));
	json_object_set_new(o, "block", json_boolean(f->block));
	json_object_set_new(o, "podcast_guid", json_str_or_null(f->guid));
	a = json_array();
	for (size_t i = 0; i < f->n_funding; i++) {
		json_t *fu = json_object();

		json_object_set_new(fu, "url", json_str_or_null(f->funding[i].url));
		json_object_set_new(fu, "text", json_str_or_null(f->funding[i].text));
		json_array_append_new(a, fu);
	}
	json_object_set_new(o, "funding", a);
	json_object_set_new(o, "persons", persons_json(f->persons, f->n_persons));
	a = json_array();
	for (size_t i = 0; i < f->n_episodes; i++)
		json_array_append_new(a, episode_json(&f->episodes[i]));
	json_object_set_new(o, "episodes", a);
	return o;
}
