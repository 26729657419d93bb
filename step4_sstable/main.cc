// step4_sstable: writes one table and takes it apart like LevelDB's sst_dump — the data
// blocks, the index, the filter and the footer — then narrates point lookups: which block each
// read touched, when the block cache answered, and when the bloom filter skipped the file.
#include <cmath>

#include <fmt/format.h>

#include "common/coding.h"
#include "common/flags.h"
#include "common/hexdump.h"
#include "common/main_guard.h"
#include "common/random.h"
#include "step4_sstable/table_builder.h"
#include "step4_sstable/table_reader.h"

namespace lsm {
namespace {

struct Settings {
  int64_t keys = 2000;
  int64_t value_size = 100;
  int64_t block_size = 4096;
  int64_t bloom_bits = 10;
  bool snappy = false;
  std::string dir = "/tmp/lsm-step4";
};

// Keys are the even numbers, so every odd number is a key that is absent but in range.
std::string KeyOf(int64_t i) { return MakeKey(static_cast<uint64_t>(2 * i)); }

Status WriteTable(const Settings& cfg, const TableOptions& options,
                  const std::filesystem::path& path, uint64_t* entries) {
  std::unique_ptr<WritableFile> file;
  Status s = FileSystem::Default()->NewWritableFile(path, &file);
  if (!s.ok()) return s;
  TableBuilder builder(options, file.get());
  ValueGenerator values(301);
  for (int64_t i = 0; i < cfg.keys; ++i) {
    builder.Add(KeyOf(i), values.Next(static_cast<size_t>(cfg.value_size)));
  }
  s = builder.Finish();
  *entries = builder.NumEntries();
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  return s;
}

std::string Short(std::string_view key) {
  std::string s = EscapeBytes(key);
  return s.size() > 24 ? s.substr(0, 21) + "..." : s;
}

Status PrintAnatomy(const Settings& cfg, const TableReader& table, uint64_t file_size) {
  const Footer& footer = table.footer();
  fmt::print("\n1. Footer: the last 48 bytes (offset {}). Two block handles, zero padding, magic.\n",
             file_size - Footer::kEncodedLength);
  std::string raw(Footer::kEncodedLength, '\0');
  std::string_view got;
  Status s = table.file().Read(file_size - Footer::kEncodedLength, raw.size(), raw.data(), &got);
  if (!s.ok()) return s;
  fmt::print("{}", HexDump(got, file_size - Footer::kEncodedLength));
  fmt::print("   metaindex handle: offset {}, size {}\n", footer.metaindex_handle().offset(),
             footer.metaindex_handle().size());
  fmt::print("   index handle:     offset {}, size {}\n", footer.index_handle().offset(),
             footer.index_handle().size());

  fmt::print("\n2. Data blocks, found through the index (one index entry per block):\n");
  fmt::print("   {:>4} {:>8} {:>6} {:>7} {:>8}  {:<18} {:<18} {}\n", "#", "offset", "size",
             "entries", "restarts", "first key", "last key", "index key (separator)");
  auto index = table.NewIndexIterator();
  int n = 0;
  uint64_t data_bytes = 0;
  for (index->SeekToFirst(); index->Valid(); index->Next(), ++n) {
    BlockHandle handle;
    std::string_view v = index->value();
    if (s = handle.DecodeFrom(&v); !s.ok()) return s;
    std::string contents;
    if (s = ReadBlock(table.file(), handle, &contents); !s.ok()) return s;
    Block block(std::move(contents));
    auto it = block.NewIterator(BytewiseComparator());
    int entries = 0;
    std::string first, last;
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++entries) {
      if (entries == 0) first = it->key();
      last = it->key();
    }
    data_bytes += handle.size();
    if (n < 4 || n % 10 == 0) {
      fmt::print("   {:>4} {:>8} {:>6} {:>7} {:>8}  {:<18} {:<18} {}\n", n, handle.offset(),
                 handle.size(), entries, block.num_restarts(), Short(first), Short(last),
                 Short(index->key()));
    } else if (n == 4) {
      fmt::print("   {:>4}\n", "...");
    }
  }
  fmt::print("   {} data blocks, {} bytes of block contents; the index block holds {} keys.\n", n,
             data_bytes, n);

  if (table.has_filter()) {
    fmt::print("\n3. Filter block (bloom, {} bits/key, k = {}): one filter per 2 KiB of data.\n",
               cfg.bloom_bits, std::clamp(static_cast<int>(cfg.bloom_bits * 0.69), 1, 30));
    int false_positives = 0;
    const int probes = 10000;
    for (int i = 0; i < probes; ++i) {
      GetTrace trace;
      std::string value;
      const int64_t absent = 2 * (i % cfg.keys) + 1;  // odd: never written
      (void)table.Get(MakeKey(static_cast<uint64_t>(absent)) , &value, &trace);
      false_positives += !trace.filter_skipped;
    }
    int random_fp = 0;
    Random rnd(7);
    for (int i = 0; i < probes; ++i) {
      GetTrace trace;
      std::string value;
      // A stored key plus 4 random bytes: absent, and in the middle of the key range.
      (void)table.Get(KeyOf(static_cast<int64_t>(rnd.Uniform(static_cast<uint64_t>(cfg.keys)))) +
                          rnd.Bytes(4),
                      &value, &trace);
      random_fp += !trace.filter_skipped;
    }
    const double k = std::clamp(static_cast<int>(cfg.bloom_bits * 0.69), 1, 30);
    const double formula = std::pow(1 - std::exp(-k / static_cast<double>(cfg.bloom_bits)), k);
    fmt::print("   measured false-positive rate on {} absent keys: {:.2f}%  (formula "
               "(1 - e^(-k/bits))^k = {:.2f}%)\n",
               probes, 100.0 * false_positives / probes, 100.0 * formula);
    fmt::print("   (those keys differ from the stored ones in one digit; on {} random absent keys "
               "the rate is {:.2f}%)\n",
               probes, 100.0 * random_fp / probes);
  } else {
    fmt::print("\n3. No filter block (--bloom_bits=0): every lookup reads a data block.\n");
  }
  return Status::OK();
}

void Lookup(const TableReader& table, const std::string& key) {
  std::string value;
  GetTrace trace;
  Status s = table.Get(key, &value, &trace);
  std::string what;
  if (trace.filter_skipped) {
    what = "bloom filter: certainly absent -> no data block read";
  } else if (trace.block_touched) {
    what = fmt::format("searched data block @ {} ({})", trace.block_offset,
                       trace.cache_hit ? "block cache hit" : "read from the file");
  } else {
    what = "past the last index key -> no block";
  }
  fmt::print("   get({:<18}) -> {:<10} {}\n", Short(key),
             s.ok() ? fmt::format("{} bytes", value.size())
                    : (s.IsNotFound() ? std::string("not found") : s.ToString()),
             what);
}

int Run(const Settings& cfg) {
  FileSystem* fs = FileSystem::Default();
  if (Status s = fs->CreateDir(cfg.dir); !s.ok()) {
    fmt::print(stderr, "{}\n", s);
    return 1;
  }
  const std::filesystem::path path = std::filesystem::path(cfg.dir) / "000001.ldb";
  auto bloom = cfg.bloom_bits > 0 ? NewBloomFilterPolicy(static_cast<int>(cfg.bloom_bits)) : nullptr;
  BlockCache cache(8 << 20);
  TableOptions options{.block_size = static_cast<size_t>(cfg.block_size),
                       .compression = cfg.snappy ? CompressionType::kSnappy : CompressionType::kNone,
                       .filter_policy = bloom.get(),
                       .block_cache = &cache};

  uint64_t entries = 0;
  Status s = WriteTable(cfg, options, path, &entries);
  uint64_t size = 0;
  if (s.ok()) s = fs->GetFileSize(path, &size);
  std::unique_ptr<RandomAccessFile> file;
  if (s.ok()) s = fs->NewRandomAccessFile(path, &file);
  std::unique_ptr<TableReader> table;
  if (s.ok()) s = TableReader::Open(options, std::move(file), size, &table);
  if (!s.ok()) {
    fmt::print(stderr, "{}\n", s);
    return 1;
  }
  fmt::print("Step 4 — an SSTable in LevelDB's format. Wrote {} entries ({}-byte keys, {}-byte "
             "values{}) to\n{}: {} bytes.\n",
             entries, 16, cfg.value_size, cfg.snappy ? ", snappy" : "", path.string(), size);
  fmt::print("Layout: data blocks | filter block | metaindex block | index block | footer.\n");

  if (s = PrintAnatomy(cfg, *table, size); !s.ok()) {
    fmt::print(stderr, "{}\n", s);
    return 1;
  }

  // Reopen with an empty cache, so the lookups below start cold.
  BlockCache lookup_cache(8 << 20);
  options.block_cache = &lookup_cache;
  if (s.ok()) s = fs->NewRandomAccessFile(path, &file);
  if (s.ok()) s = TableReader::Open(options, std::move(file), size, &table);
  if (!s.ok()) {
    fmt::print(stderr, "{}\n", s);
    return 1;
  }
  fmt::print("\n4. Point lookups: the index (in memory) names the one block that can hold the "
             "key;\n   the filter may rule it out; otherwise one block is searched.\n");
  const std::string mid = KeyOf(cfg.keys / 2);
  Lookup(*table, mid);
  Lookup(*table, mid);  // the same block again: now cached
  Lookup(*table, KeyOf(0));
  Lookup(*table, MakeKey(static_cast<uint64_t>(cfg.keys) + 1));  // odd number: absent
  Lookup(*table, MakeKey(static_cast<uint64_t>(cfg.keys) + 3));  // odd number: absent
  Lookup(*table, "~");                                           // after every key
  fmt::print("\n   Counters: {} blocks read from the file, {} block cache hits, {} filter skips "
             "(on a freshly opened table).\n",
             table->blocks_read(), table->cache_hits(), table->filter_skips());
  fmt::print("\nOne table answers a lookup with at most one block read. Step 4's store writes a\n"
             "new table per memtable flush, so a miss must ask every table: step 5 compacts.\n");
  return 0;
}

}  // namespace
}  // namespace lsm

static int Main(int argc, char** argv) {
  lsm::Settings cfg;
  lsm::Flags flags("step4_sstable",
                   "Step 4: writes one SSTable (LevelDB's .ldb format) and prints its anatomy\n"
                   "like sst_dump, then narrates point lookups.");
  flags.Int("keys", &cfg.keys, 1, 1000000, "entries to write");
  flags.Int("value_size", &cfg.value_size, 0, 100000, "bytes per value");
  flags.Int("block_size", &cfg.block_size, 64, 1 << 20, "target data block size in bytes");
  flags.Int("bloom_bits", &cfg.bloom_bits, 0, 100, "bloom filter bits per key; 0 = no filter");
  flags.Bool("snappy", &cfg.snappy, "compress blocks with snappy");
  flags.String("dir", &cfg.dir, "directory to write 000001.ldb into");
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;
  if (cfg.snappy && !lsm::SnappySupported()) {
    return flags.Fail(lsm::Status::NotSupported("this build has no snappy"));
  }
  return lsm::Run(cfg);
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
