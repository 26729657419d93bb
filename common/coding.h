// Byte encodings shared by every on-disk format in the project (log, table, MANIFEST):
//
//   fixed32 / fixed64   little-endian, always 4 / 8 bytes
//   varint32 / varint64 7 bits per byte, low groups first; the high bit means "more follows".
//                       300 = 0b1_0010_1100 -> AC 02 ; at most 5 / 10 bytes
//   length-prefixed     varint32 length, then that many bytes
//
// The Put* functions append to a std::string. The Get* functions consume from the front of a
// std::string_view: on success they advance *input and return true; on malformed or truncated
// input they return false and leave *input unspecified.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace lsm {

inline constexpr int kMaxVarint32Bytes = 5;
inline constexpr int kMaxVarint64Bytes = 10;

// --- fixed-width ---------------------------------------------------------------------------
// REQUIRES: dst has room for 4 (resp. 8) bytes.
inline void EncodeFixed32(char* dst, uint32_t v) {
  for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>(v >> (8 * i));
}
inline void EncodeFixed64(char* dst, uint64_t v) {
  for (int i = 0; i < 8; ++i) dst[i] = static_cast<char>(v >> (8 * i));
}
// REQUIRES: src points at 4 (resp. 8) readable bytes.
inline uint32_t DecodeFixed32(const char* src) {
  const auto* p = reinterpret_cast<const unsigned char*>(src);
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
inline uint64_t DecodeFixed64(const char* src) {
  return uint64_t{DecodeFixed32(src)} | (uint64_t{DecodeFixed32(src + 4)} << 32);
}

inline void PutFixed32(std::string* dst, uint32_t v) {
  char buf[4];
  EncodeFixed32(buf, v);
  dst->append(buf, 4);
}
inline void PutFixed64(std::string* dst, uint64_t v) {
  char buf[8];
  EncodeFixed64(buf, v);
  dst->append(buf, 8);
}
bool GetFixed32(std::string_view* input, uint32_t* v);
bool GetFixed64(std::string_view* input, uint64_t* v);

// --- varints -------------------------------------------------------------------------------
// Writes v at dst and returns a pointer just past the last byte written.
// REQUIRES: dst has room for kMaxVarint32Bytes (resp. kMaxVarint64Bytes).
char* EncodeVarint32(char* dst, uint32_t v);
char* EncodeVarint64(char* dst, uint64_t v);
void PutVarint32(std::string* dst, uint32_t v);
void PutVarint64(std::string* dst, uint64_t v);

// Number of bytes the varint encoding of v takes (1..10).
int VarintLength(uint64_t v);

// Parses a varint from [p, limit). Returns a pointer just past it, or nullptr when the bytes
// end first or the encoding is too long for the type.
const char* GetVarint32Ptr(const char* p, const char* limit, uint32_t* v);
const char* GetVarint64Ptr(const char* p, const char* limit, uint64_t* v);
bool GetVarint32(std::string_view* input, uint32_t* v);
bool GetVarint64(std::string_view* input, uint64_t* v);

// --- length-prefixed slices ----------------------------------------------------------------
void PutLengthPrefixed(std::string* dst, std::string_view value);
// On success *result views bytes inside the original input (it lives as long as they do).
bool GetLengthPrefixed(std::string_view* input, std::string_view* result);

// --- small helpers over string_view ----------------------------------------------------------
// A string_view over raw bytes; comparison of string_views is unsigned bytewise like memcmp.
inline std::string_view AsView(const char* data, size_t n) { return std::string_view(data, n); }
inline bool StartsWith(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }

// Printable form of arbitrary bytes for messages: printable ASCII as is, others as \xNN.
std::string EscapeBytes(std::string_view bytes);

}  // namespace lsm
