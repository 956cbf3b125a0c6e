#include "ingest/utf8_decoder.h"

#include <algorithm>
#include <cstring>

namespace flexrecon {

namespace {

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

constexpr char32_t kReplacement = 0xFFFD;
constexpr std::size_t kChunk = 1 << 16;

}  // namespace

void Utf8Decoder::detect() {
  // Four bytes decide every case; read until we have them or the stream ends.
  while (raw_.size() < 4 && !eof_) {
    char buf[4];
    const std::size_t got = in_.read(buf, 4 - raw_.size());
    if (got == 0) eof_ = true;
    raw_.append(buf, got);
  }
  const auto b = [&](std::size_t i) { return i < raw_.size() ? static_cast<unsigned char>(raw_[i]) : 0x100u; };
  if (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
    encoding_ = Encoding::Utf8;
    raw_.erase(0, 3);
  } else if (b(0) == 0xFF && b(1) == 0xFE) {
    encoding_ = Encoding::Utf16LE;
    raw_.erase(0, 2);
  } else if (b(0) == 0xFE && b(1) == 0xFF) {
    encoding_ = Encoding::Utf16BE;
    raw_.erase(0, 2);
  } else if (b(0) == '<' && b(1) == 0 && b(2) != 0x100u && b(3) == 0) {
    encoding_ = Encoding::Utf16LE;
  } else if (b(0) == 0 && b(1) == '<' && b(2) == 0) {
    encoding_ = Encoding::Utf16BE;
  } else {
    encoding_ = Encoding::Utf8;
  }
}

void Utf8Decoder::decode_utf16(bool at_end) {
  const bool le = encoding_ == Encoding::Utf16LE;
  const auto unit = [&](std::size_t i) -> char32_t {
    const auto lo = static_cast<unsigned char>(raw_[le ? i : i + 1]);
    const auto hi = static_cast<unsigned char>(raw_[le ? i + 1 : i]);
    return static_cast<char32_t>(hi << 8 | lo);
  };
  std::size_t i = 0;
  while (i + 2 <= raw_.size()) {
    const char32_t u = unit(i);
    if (u >= 0xD800 && u < 0xDC00) {
      if (i + 4 > raw_.size()) {
        if (!at_end) break;  // the low half is in the next chunk
        append_utf8(out_, kReplacement);
        i += 2;
        continue;
      }
      const char32_t low = unit(i + 2);
      if (low >= 0xDC00 && low < 0xE000) {
        append_utf8(out_, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        i += 4;
      } else {
        append_utf8(out_, kReplacement);
        i += 2;
      }
    } else if (u >= 0xDC00 && u < 0xE000) {
      append_utf8(out_, kReplacement);
      i += 2;
    } else {
      append_utf8(out_, u);
      i += 2;
    }
  }
  raw_.erase(0, i);
  if (at_end && !raw_.empty()) {
    append_utf8(out_, kReplacement);
    raw_.clear();
  }
}

std::size_t Utf8Decoder::read(char* buf, std::size_t n) {
  if (encoding_ == Encoding::Unknown) detect();
  while (out_pos_ >= out_.size()) {
    out_.clear();
    out_pos_ = 0;
    if (encoding_ == Encoding::Utf8) {
      // Pass-through: hand out what detection buffered, then read straight into the caller's buffer.
      if (!raw_.empty()) {
        const std::size_t k = std::min(n, raw_.size());
        std::memcpy(buf, raw_.data(), k);
        raw_.erase(0, k);
        return k;
      }
      return eof_ ? 0 : in_.read(buf, n);
    }
    if (eof_ && raw_.empty()) return 0;
    if (!eof_) {
      const std::size_t old = raw_.size();
      raw_.resize(old + kChunk);
      const std::size_t got = in_.read(raw_.data() + old, kChunk);
      raw_.resize(old + got);
      if (got == 0) eof_ = true;
    }
    decode_utf16(eof_);
  }
  const std::size_t k = std::min(n, out_.size() - out_pos_);
  std::memcpy(buf, out_.data() + out_pos_, k);
  out_pos_ += k;
  return k;
}

}  // namespace flexrecon
