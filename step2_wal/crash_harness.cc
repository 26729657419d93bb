#include "step2_wal/crash_harness.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/coding.h"

namespace lsm {

namespace {

constexpr char kParts[] = {'a', 'b', 'c'};

// The child's whole life: open, write, acknowledge, repeat. Never returns.
[[noreturn]] void ChildWriter(const std::filesystem::path& dir, const DurableStoreOptions& options,
                              const AckedWorkload& workload, uint64_t max_batches, int ack_fd) {
  std::unique_ptr<DurableStore> store;
  if (!DurableStore::Open(options, dir, &store).ok()) ::_exit(1);
  WriteBatch batch;
  for (uint64_t i = 0; i < max_batches; ++i) {
    batch.Clear();
    for (char part : kParts) batch.Put(AckedKey(workload, i, part), AckedValue(workload, i, part));
    if (!store->Write(&batch).ok()) ::_exit(2);
    char ack[8];
    EncodeFixed64(ack, i);
    if (::write(ack_fd, ack, sizeof ack) != static_cast<ssize_t>(sizeof ack)) ::_exit(3);
  }
  store.reset();
  ::_exit(0);
}

}  // namespace

std::string AckedKey(const AckedWorkload& w, uint64_t batch, char part) {
  return fmt::format("{}{:08d}.{}", w.prefix, batch, part);
}

std::string AckedValue(const AckedWorkload& w, uint64_t batch, char part) {
  std::string v = fmt::format("value-{}-{}-", batch, part);
  v.resize(std::max(v.size(), w.value_size), static_cast<char>('a' + batch % 26));
  return v;
}

Status RunCrashRound(const std::filesystem::path& dir, const DurableStoreOptions& options,
                     const AckedWorkload& workload, uint64_t kill_after_acks,
                     uint64_t extra_delay_us, uint64_t max_batches, CrashRoundResult* result) {
  *result = {};
  int fds[2];
  if (::pipe(fds) != 0) return Status::FromErrno("pipe", errno);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::FromErrno("fork", errno);
  }
  if (pid == 0) {
    ::close(fds[0]);
    ChildWriter(dir, options, workload, max_batches, fds[1]);
  }
  ::close(fds[1]);

  // Reads one acknowledgement; false at end of pipe (the child is gone).
  auto read_ack = [&]() {
    char ack[8];
    size_t got = 0;
    while (got < sizeof ack) {
      ssize_t n = ::read(fds[0], ack + got, sizeof ack - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      got += static_cast<size_t>(n);
    }
    result->acked = DecodeFixed64(ack) + 1;
    return true;
  };

  while (result->acked < kill_after_acks && read_ack()) {
  }
  if (extra_delay_us > 0) ::usleep(static_cast<useconds_t>(extra_delay_us));
  ::kill(pid, SIGKILL);
  // Acknowledgements already in the pipe were sent before the kill: they count.
  while (read_ack()) {
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) result->signal = WTERMSIG(status);
  if (WIFEXITED(status)) result->exit_code = WEXITSTATUS(status);
  return Status::OK();
}

Status VerifyAckedWrites(const DurableStore& store, const AckedWorkload& workload,
                         uint64_t acked, bool* in_flight_present) {
  std::string value;
  for (uint64_t i = 0; i < acked; ++i) {
    for (char part : kParts) {
      const std::string key = AckedKey(workload, i, part);
      Status s = store.Get(key, &value);
      if (!s.ok() || value != AckedValue(workload, i, part)) {
        return Status::Corruption("acknowledged key {} is {}", key,
                                  s.ok() ? "wrong" : s.ToString());
      }
    }
  }
  int present = 0;
  for (char part : kParts) present += store.Get(AckedKey(workload, acked, part), &value).ok();
  if (present != 0 && present != 3) {
    return Status::Corruption("batch {} is half there: {} of 3 keys", acked, present);
  }
  *in_flight_present = present == 3;
  for (char part : kParts) {
    if (store.Get(AckedKey(workload, acked + 1, part), &value).ok()) {
      return Status::Corruption("batch {} exists but was never written", acked + 1);
    }
  }
  return Status::OK();
}

}  // namespace lsm
