/* Prints the libyara struct offsets and sizes that dev.tollgate.yara.Libyara hard-codes, one "NAME VALUE" a line.
 * NativeLayoutIT compiles this against the installed headers and compares. */
#include <stddef.h>
#include <stdio.h>
#include <yara.h>

#define OFF(name, type, field) printf("%s %zu\n", name, offsetof(type, field))
#define SIZE(name, type) printf("%s %zu\n", name, sizeof(type))

int main(void) {
  OFF("RULE_IDENTIFIER", YR_RULE, identifier);
  OFF("RULE_TAGS", YR_RULE, tags);
  OFF("RULE_METAS", YR_RULE, metas);
  OFF("RULE_STRINGS", YR_RULE, strings);
  OFF("RULE_NS", YR_RULE, ns);
  SIZE("RULE_SIZE", YR_RULE);
  OFF("NAMESPACE_NAME", YR_NAMESPACE, name);
  OFF("META_IDENTIFIER", YR_META, identifier);
  OFF("META_STRING", YR_META, string);
  OFF("META_INTEGER", YR_META, integer);
  OFF("META_TYPE", YR_META, type);
  OFF("META_FLAGS", YR_META, flags);
  SIZE("META_SIZE", YR_META);
  OFF("STRING_FLAGS", YR_STRING, flags);
  OFF("STRING_IDX", YR_STRING, idx);
  OFF("STRING_IDENTIFIER", YR_STRING, identifier);
  SIZE("STRING_SIZE", YR_STRING);
  OFF("CONTEXT_RULES", YR_SCAN_CONTEXT, rules);
  OFF("CONTEXT_MATCHES", YR_SCAN_CONTEXT, matches);
  SIZE("CONTEXT_SIZE", YR_SCAN_CONTEXT);
  OFF("RULES_NUM_STRINGS", YR_RULES, num_strings);
  SIZE("RULES_SIZE", YR_RULES);
  OFF("MATCHES_HEAD", YR_MATCHES, head);
  OFF("MATCHES_COUNT", YR_MATCHES, count);
  SIZE("MATCHES_SIZE", YR_MATCHES);
  OFF("MATCH_BASE", YR_MATCH, base);
  OFF("MATCH_OFFSET", YR_MATCH, offset);
  OFF("MATCH_LENGTH", YR_MATCH, match_length);
  OFF("MATCH_NEXT", YR_MATCH, next);
  OFF("MATCH_IS_PRIVATE", YR_MATCH, is_private);
  SIZE("MATCH_SIZE", YR_MATCH);
  SIZE("STREAM_SIZE", YR_STREAM);
  printf("STRING_FLAGS_LAST_IN_RULE %d\n", STRING_FLAGS_LAST_IN_RULE);
  printf("STRING_FLAGS_PRIVATE %d\n", STRING_FLAGS_PRIVATE);
  printf("META_FLAGS_LAST_IN_RULE %d\n", META_FLAGS_LAST_IN_RULE);
  printf("SCAN_FLAGS_NO_TRYCATCH %d\n", SCAN_FLAGS_NO_TRYCATCH);
  printf("SCAN_FLAGS_REPORT_RULES_MATCHING %d\n", SCAN_FLAGS_REPORT_RULES_MATCHING);
  printf("ERROR_SCAN_TIMEOUT %d\n", ERROR_SCAN_TIMEOUT);
  printf("ERROR_CALLBACK_ERROR %d\n", ERROR_CALLBACK_ERROR);
  return 0;
}
