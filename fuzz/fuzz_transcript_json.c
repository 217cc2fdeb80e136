/* fuzz_transcript_json.c - transcript_parse_format(TRANSCRIPT_JSON) on arbitrary bytes,
 * with the checks in transcript_check.h. */
#include "transcript_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_transcript(data, size, TRANSCRIPT_JSON);
	return 0;
}
