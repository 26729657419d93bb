// InsertInto: applies a WriteBatch (step 2) to a MemTable — the bridge every store from step 3
// on uses after the batch is safely in the log.
//
// Operation i of the batch becomes a memtable entry with sequence batch.Sequence() + i, so a
// batch's writes are ordered among themselves and after everything logged before it.
//
// Example:
//   batch.SetSequence(last_sequence + 1);
//   Status s = log->AddRecord(batch.Contents());       // durable first
//   if (s.ok()) s = InsertInto(batch, mem.get());      // then visible
//
// Thread-safety: as MemTable::Add — the caller is the memtable's single writer.
#pragma once

#include "common/status.h"
#include "step2_wal/write_batch.h"
#include "step3_memtable/memtable.h"

namespace lsm {

// Adds every operation of batch to mem. Returns the batch's Corruption if it is malformed;
// operations before the damage have then been added (Validate() first to avoid that).
Status InsertInto(const WriteBatch& batch, MemTable* mem);

}  // namespace lsm
