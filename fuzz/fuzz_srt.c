/* fuzz_srt.c - transcript_parse_format(TRANSCRIPT_SRT) on arbitrary bytes,
 * with the checks in transcript_check.h. */
#include "transcript_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_transcript(data, size, TRANSCRIPT_SRT);
	return 0;
}
