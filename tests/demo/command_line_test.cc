// SplitCommandLine / QuoteWord: kvsh's words, quoting and \xNN escapes.
#include "demo/command_line.h"

#include <gtest/gtest.h>

#include "common/random.h"

namespace lsm::demo {
namespace {

std::vector<std::string> Split(std::string_view line) {
  std::vector<std::string> words;
  Status s = SplitCommandLine(line, &words);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return words;
}

std::string SplitError(std::string_view line) {
  std::vector<std::string> words;
  Status s = SplitCommandLine(line, &words);
  EXPECT_TRUE(s.IsInvalidArgument()) << line;
  return s.message();
}

using Words = std::vector<std::string>;

TEST(CommandLineTest, BlanksSeparateWords) {
  EXPECT_EQ(Words({"put", "k", "v"}), Split("  put\tk   v  "));
  EXPECT_EQ(Words{}, Split(""));
  EXPECT_EQ(Words{}, Split("   \t "));
}

TEST(CommandLineTest, QuotesGroupBlanks) {
  EXPECT_EQ(Words({"put", "two words", "v"}), Split("put \"two words\" v"));
  EXPECT_EQ(Words({"abc de"}), Split("ab\"c d\"e"));
  EXPECT_EQ(Words({"get", ""}), Split("get \"\""));
}

TEST(CommandLineTest, Escapes) {
  EXPECT_EQ(Words({std::string("\x00\xff", 2)}), Split("\\x00\\xFF"));
  EXPECT_EQ(Words({"a\"b\\c\n\t"}), Split("\"a\\\"b\\\\c\\n\\t\""));
  EXPECT_EQ(Words({"x y"}), Split("x\\x20y"));
}

TEST(CommandLineTest, CommentsEndTheLine) {
  EXPECT_EQ(Words({"put", "k", "v"}), Split("put k v # a comment"));
  EXPECT_EQ(Words{}, Split("# only a comment"));
  EXPECT_EQ(Words({"a#b"}), Split("a#b"));  // '#' inside a word is a byte
}

TEST(CommandLineTest, ErrorsNameTheColumn) {
  EXPECT_EQ("unterminated quote at column 5", SplitError("get \"abc"));
  EXPECT_EQ("bad \\x escape at column 5 (want two hex digits)", SplitError("put \\x4 v"));
  EXPECT_EQ("unknown escape \\q at column 3", SplitError("ab\\q"));
  EXPECT_EQ("dangling backslash at column 3", SplitError("ab\\"));
}

TEST(CommandLineTest, QuoteWordLeavesPlainWordsAlone) {
  EXPECT_EQ("apple", QuoteWord("apple"));
  EXPECT_EQ("\"\"", QuoteWord(""));
  EXPECT_EQ("\"two words\"", QuoteWord("two words"));
  EXPECT_EQ("\"\\x00\\x01\"", QuoteWord(std::string("\x00\x01", 2)));
  EXPECT_EQ("\"#x\"", QuoteWord("#x"));
  EXPECT_EQ("\"a\\\"b\\\\\"", QuoteWord("a\"b\\"));
}

// Property: whatever bytes kvsh prints as a word, typing it back gives the same bytes.
TEST(CommandLineTest, QuoteWordRoundTripsRandomBytes) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE(testing::Message() << "seed " << seed);
    Random rnd(seed);
    std::string bytes;
    const size_t n = rnd.Uniform(12);
    for (size_t i = 0; i < n; ++i) {
      // Mostly interesting bytes: blanks, quotes, backslashes, '#', controls, high bytes.
      static constexpr char kSpecial[] = {' ', '"', '\\', '#', '\t', '\n', '\0', 'a', 'Z', '\x7f'};
      bytes.push_back(rnd.OneIn(2) ? kSpecial[rnd.Uniform(sizeof(kSpecial))]
                                   : static_cast<char>(rnd.Uniform(256)));
    }
    const std::string quoted = QuoteWord(bytes);
    std::vector<std::string> words;
    ASSERT_TRUE(SplitCommandLine("get " + quoted, &words).ok()) << quoted;
    ASSERT_EQ(2u, words.size()) << quoted;
    EXPECT_EQ(bytes, words[1]) << quoted;
  }
}

}  // namespace
}  // namespace lsm::demo
