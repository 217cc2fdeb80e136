/* test_engine_mailbox.c - commands coalesce in the player's mailbox. */
#include "config.h"

#include <string.h>

#include "../../src/core/engine.h"
#include "tap.h"

static void fresh(struct player_mailbox *m)
{
	memset(m, 0, sizeof *m);
	m->pause = -1;
}

int main(void)
{
	struct player_mailbox m;

	fresh(&m);
	player_mailbox_seek(&m, 10, true);
	player_mailbox_seek(&m, 10, true);
	player_mailbox_seek(&m, 10, true);
	ok(m.has_seek && m.seek_relative, "three relative seeks stay relative");
	is_num(m.seek, 30, "three +10 presses make one +30");

	fresh(&m);
	player_mailbox_seek(&m, 100, false);
	player_mailbox_seek(&m, -5, true);
	ok(m.has_seek && !m.seek_relative, "absolute then relative is absolute");
	is_num(m.seek, 95, "100 then -5 is 95");

	fresh(&m);
	player_mailbox_seek(&m, 30, true);
	player_mailbox_seek(&m, 600, false);
	ok(!m.seek_relative, "a newer absolute seek replaces a pending relative one");
	is_num(m.seek, 600, "only the newest absolute target remains");

	fresh(&m);
	player_mailbox_pause(&m, 1);
	is_num(m.pause, 1, "pause pending");
	player_mailbox_pause(&m, 2);
	is_num(m.pause, 0, "toggle of a pending pause is a resume");
	player_mailbox_pause(&m, 2);
	is_num(m.pause, 1, "and toggling again a pause");
	fresh(&m);
	player_mailbox_pause(&m, 2);
	player_mailbox_pause(&m, 2);
	is_num(m.pause, -1, "two toggles cancel out");
	player_mailbox_pause(&m, 0);
	is_num(m.pause, 0, "explicit resume");
	return tap_done();
}
