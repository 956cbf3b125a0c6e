#include "ingest/byte_sources.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "flexrecon/error.h"

namespace flexrecon {

FileSource::FileSource(const std::string& path) : path_(path) {
  // O_NONBLOCK: should the path have turned into a FIFO since it was checked, opening must not hang.
  fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw Error::input(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw Error::input(path + ": not a regular file");
  }
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t FileSource::read(char* buf, std::size_t n) {
  while (true) {
    const ssize_t got = ::read(fd_, buf, n);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno == EINTR) continue;
    throw Error::input(path_ + ": read error: " + std::strerror(errno));
  }
}

std::size_t MemorySource::read(char* buf, std::size_t n) {
  const std::size_t k = std::min(n, bytes_.size());
  std::memcpy(buf, bytes_.data(), k);
  bytes_.remove_prefix(k);
  return k;
}

std::size_t PrefixedSource::read(char* buf, std::size_t n) {
  if (pos_ < head_.size()) {
    const std::size_t k = std::min(n, head_.size() - pos_);
    std::memcpy(buf, head_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  return rest_.read(buf, n);
}

std::size_t HashingSource::read(char* buf, std::size_t n) {
  const std::size_t got = in_.read(buf, n);
  sha_.update(std::string_view(buf, got));
  size_ += got;
  return got;
}

void HashingSource::drain() {
  std::string buf(1 << 16, '\0');
  while (read(buf.data(), buf.size()) > 0) {
  }
}

std::string read_head(ByteSource& in, std::size_t n) {
  std::string head(n, '\0');
  std::size_t have = 0;
  while (have < n) {
    const std::size_t got = in.read(head.data() + have, n - have);
    if (got == 0) break;
    have += got;
  }
  head.resize(have);
  return head;
}

}  // namespace flexrecon
