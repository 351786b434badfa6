#include "reports/text.h"

#include <cstdio>

namespace dcisim::reports {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point at `text[i]`; advances `i`. Invalid input yields U+FFFD and consumes
// the bytes that can not start a valid sequence (at least one).
char32_t decode_one(std::string_view text, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    ++i;
    return kReplacement;
  }
  size_t k = 1;
  for (; k < length; ++k) {
    if (i + k >= text.size() || (byte(i + k) & 0xC0) != 0x80) break;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (k < length) {
    i += k;  // the bytes read so far are a truncated sequence; resume at the offending byte
    return kReplacement;
  }
  i += length;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kReplacement;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool shown_as_escape(char32_t cp) {
  bool c0 = cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r';
  bool del_or_c1 = cp >= 0x7F && cp <= 0x9F;
  return c0 || del_or_c1 || cp == 0xFFFE || cp == 0xFFFF;
}

std::string escape_markup(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = decode_one(text, i);
    switch (cp) {
      case '&': out += "&amp;"; continue;
      case '<': out += "&lt;"; continue;
      case '>': out += "&gt;"; continue;
      case '"': out += "&quot;"; continue;
      case '\'': out += "&#39;"; continue;
      default: break;
    }
    if (attribute && (cp == '\t' || cp == '\n' || cp == '\r')) {
      out += "&#" + std::to_string(static_cast<unsigned>(cp)) + ";";
    } else if (shown_as_escape(cp)) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, cp < 0x100 ? "\\x%02X" : "\\u%04X",
                    static_cast<unsigned>(cp));
      out += buffer;
    } else {
      append_utf8(out, cp);
    }
  }
  return out;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) append_utf8(out, decode_one(text, i));
  return out;
}

std::string markup_text(std::string_view text) { return escape_markup(text, false); }

std::string markup_attribute(std::string_view text) { return escape_markup(text, true); }

std::string truncate_with_marker(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  // Back up to a character boundary: never leave half a UTF-8 sequence before the marker.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\n[... " + std::to_string(text.size() - cut) +
         " more bytes truncated]";
}

std::string cut_to_bytes(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes >= 3 ? max_bytes - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::string first_line(std::string_view text, size_t max_bytes) {
  return cut_to_bytes(text.substr(0, text.find('\n')), max_bytes);
}

std::string seconds_3dp(int64_t us) {
  if (us < 0) us = 0;
  int64_t ms = (us + 500) / 1000;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld.%03lld", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  return buffer;
}

std::string human_wall_time(int64_t us) {
  if (us < 0) us = 0;
  char buffer[48];
  if (us < 1000) {
    std::snprintf(buffer, sizeof buffer, "%lld us", static_cast<long long>(us));
  } else if (us < 1'000'000) {
    std::snprintf(buffer, sizeof buffer, "%.1f ms", static_cast<double>(us) / 1000.0);
  } else if (us < 60'000'000) {
    return seconds_3dp(us) + " s";
  } else {
    int64_t s = (us + 500'000) / 1'000'000;
    std::snprintf(buffer, sizeof buffer, "%lld min %lld s", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  }
  return buffer;
}

}  // namespace dcisim::reports
