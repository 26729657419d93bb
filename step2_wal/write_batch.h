// WriteBatch: a group of puts and deletes applied atomically — and the payload of one WAL
// record. Its serialized form ("rep") is LevelDB's, byte for byte:
//
//   +----------------+-----------+-----------------------------------------------+
//   | sequence (8)   | count (4) | count records                                 |
//   +----------------+-----------+-----------------------------------------------+
//    fixed64 of the   fixed32     put:    01 | varint32 klen | key | varint32 vlen | value
//    first operation              delete: 00 | varint32 klen | key
//
// Operation i of the batch gets sequence number Sequence() + i.
//
// Example:
//   WriteBatch batch;
//   batch.Put("apple", "red");
//   batch.Delete("banana");
//   Status s = store.Write(&batch);   // both or neither, even across a crash
//
// Invariant: rep_ always holds at least the 12-byte header, and Count() equals the number of
// records appended through Put/Delete/Append (SetContents may install any rep; Iterate checks).
// Thread-safety: none (a value type). Intentionally copyable.
// Simplifications: no per-batch size limit; LevelDB's WriteBatchInternal helpers are members.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/value_type.h"

namespace lsm {

class WriteBatch {
 public:
  // Bytes of the header: fixed64 sequence + fixed32 count.
  static constexpr size_t kHeaderSize = 12;

  // Receives a batch's operations in order (see Iterate).
  struct Handler {
    virtual ~Handler() = default;
    virtual void Put(std::string_view k, std::string_view v) = 0;
    virtual void Delete(std::string_view k) = 0;
  };

  WriteBatch();

  // Appends "set key to value".
  void Put(std::string_view key, std::string_view value);
  // Appends "remove key" (a tombstone once it reaches the memtable in step 3).
  void Delete(std::string_view key);
  // Empties the batch (sequence 0, count 0).
  void Clear();

  uint32_t Count() const;
  SequenceNumber Sequence() const;
  void SetSequence(SequenceNumber seq);

  // The serialized bytes; valid until the batch is next modified or destroyed.
  std::string_view Contents() const { return rep_; }
  // Replaces the batch with serialized bytes (e.g. a WAL record). Checks only that the
  // header is there; Iterate() checks the records. Corruption if shorter than 12 bytes.
  Status SetContents(std::string_view rep);

  // Size of the serialized form in bytes.
  size_t ApproximateSize() const { return rep_.size(); }

  // Appends other's operations after ours (group commit); our sequence number is kept.
  void Append(const WriteBatch& other);

  // Calls handler for each record in order; Corruption if malformed
  // (bad tag, truncated, count mismatch). Records before the damage were already delivered:
  // to apply all-or-nothing, Iterate once with a handler that only collects or validates.
  Status Iterate(Handler* handler) const;

  // Checks that every record is well formed without applying any: OK, or the Corruption
  // Iterate would report. Run it before logging a batch built from untrusted bytes.
  Status Validate() const;

 private:
  void SetCount(uint32_t n);

  std::string rep_;
};

}  // namespace lsm
