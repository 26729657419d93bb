// Command-line words for kvsh: splitting a typed line into words, and quoting bytes back so
// whatever kvsh prints can be typed in again.
//
//   put "hello world" \x00\x01     ->  ["put", "hello world", "\0\1"]
//   get "unterminated               ->  InvalidArgument: unterminated quote at column 5
//
// Rules:
//   - words are separated by spaces or tabs; a line of only blanks has no words;
//   - "..." groups bytes (spaces included) into one word; quotes may sit inside a word
//     (ab"c d"e is the one word `abc de`); "" is an empty word;
//   - escapes work inside and outside quotes: \xNN (two hex digits, any byte), \n, \t, \\, \";
//   - `#` at the start of a word begins a comment (the rest of the line is ignored).
// Thread-safety: pure functions.
// Simplifications: no single quotes, no variables, no globbing — a shell for bytes, not files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lsm::demo {

// Splits `line` into words (rules above). On error *words is unspecified and the Status
// (InvalidArgument) names the 1-based column of the problem.
Status SplitCommandLine(std::string_view line, std::vector<std::string>* words);

// Returns `bytes` as one word SplitCommandLine reads back to the same bytes: unchanged when it
// is non-empty printable ASCII without blanks, quotes, backslashes or a leading '#'; otherwise
// in "..." with \xNN for unprintable bytes.
std::string QuoteWord(std::string_view bytes);

}  // namespace lsm::demo
