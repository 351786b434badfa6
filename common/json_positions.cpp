#include "common/json_positions.h"

#include <algorithm>

#include "common/json_input.h"
#include "common/text.h"

namespace dcisim::common {

namespace {

constexpr size_t kMaxExcerptLineBytes = 240;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void append_utf8(std::string& out, uint32_t cp) {
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

// "~1" -> "/", "~0" -> "~" (RFC 6901).
std::string unescape_token(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

std::optional<size_t> array_index(std::string_view token) {
  if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0')) return std::nullopt;
  size_t value = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<size_t>(c - '0');
  }
  return value;
}

}  // namespace

// Reads the text once, left to right, with an explicit stack of open arrays and objects.
class JsonPositionsBuilder {
 public:
  explicit JsonPositionsBuilder(std::string_view text) : text_(text) {}

  JsonPositions build() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte order mark takes no column
    if (skip_blank() && value(here(), "", UINT32_MAX)) out_.complete_ = containers() && skip_blank() && pos_ >= text_.size();
    // Stopped early: whatever is not closed (open containers, a string without its end) runs to here.
    for (JsonPositions::Node& node : out_.nodes_) {
      if (node.span.last_line == 0) {
        node.span.value_end = pos_;
        node.span.last_line = line_;
      }
    }
    return std::move(out_);
  }

 private:
  struct Open {
    uint32_t node;
    bool is_array;
    size_t members = 0;
  };

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool at_end() const { return pos_ >= text_.size(); }
  TextPosition here() const { return {line_, column_}; }

  void advance() {
    unsigned char c = static_cast<unsigned char>(text_[pos_++]);
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column_;
    }
  }

  // White space and comments; false on an unterminated block comment.
  bool skip_blank() {
    while (!at_end()) {
      char c = peek();
      if (is_blank(c)) {
        advance();
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (!at_end() && peek() != '\n') advance();
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
        advance();
        advance();
        while (!at_end() && !(peek() == '*' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/')) advance();
        if (at_end()) return false;
        advance();
        advance();
      } else {
        return true;
      }
    }
    return true;
  }

  uint32_t hex4() {
    uint32_t value = 0;
    for (int i = 0; i < 4 && !at_end(); ++i) {
      char c = peek();
      uint32_t digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
      value = value * 16 + digit;
      advance();
    }
    return value;
  }

  // At a '"': the string, unescaped into `decoded` when given. False when unterminated.
  bool string(std::string* decoded) {
    advance();
    while (!at_end()) {
      char c = peek();
      if (c == '"') {
        advance();
        return true;
      }
      if (c != '\\') {
        if (decoded) *decoded += c;
        advance();
        continue;
      }
      advance();
      if (at_end()) return false;
      char e = peek();
      advance();
      if (!decoded) continue;
      switch (e) {
        case 'n': *decoded += '\n'; break;
        case 't': *decoded += '\t'; break;
        case 'r': *decoded += '\r'; break;
        case 'b': *decoded += '\b'; break;
        case 'f': *decoded += '\f'; break;
        case 'u': {
          uint32_t cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF && peek() == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == 'u') {
            advance();
            advance();
            uint32_t low = hex4();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(*decoded, cp);
          break;
        }
        default: *decoded += e;  // \" \\ \/
      }
    }
    return false;
  }

  // A value starting here: a node; a container stays open on the stack until its bracket closes.
  bool value(TextPosition at, std::string key, uint32_t parent) {
    if (out_.nodes_.size() >= JsonPositions::kMaxNodes || at_end()) return false;
    auto id = static_cast<uint32_t>(out_.nodes_.size());
    JsonPositions::Node node;
    node.span.at = at;
    node.span.value_at = here();
    node.span.value_begin = pos_;
    node.key = std::move(key);
    char c = peek();
    node.is_array = c == '[';
    out_.nodes_.push_back(std::move(node));
    if (parent != UINT32_MAX) out_.nodes_[parent].children.push_back(id);
    if (c == '{' || c == '[') {
      if (open_.size() >= kMaxJsonDepth) return false;
      advance();
      open_.push_back({id, c == '['});
      return true;
    }
    if (c == '"') {
      if (!string(nullptr)) return false;
    } else {
      size_t start = pos_;
      while (!at_end() && !is_blank(peek()) && std::string_view(",:]}[{\"/").find(peek()) == std::string_view::npos) advance();
      if (pos_ == start) return false;
    }
    close(id);
    return true;
  }

  void close(uint32_t id) {
    out_.nodes_[id].span.value_end = pos_;
    out_.nodes_[id].span.last_line = line_;
  }

  // Reads members and elements until every open container is closed.
  bool containers() {
    while (!open_.empty()) {
      if (!skip_blank() || at_end()) return false;
      Open& top = open_.back();
      char c = peek();
      if (c == (top.is_array ? ']' : '}')) {
        advance();
        close(top.node);
        open_.pop_back();
        continue;
      }
      if (top.members > 0) {
        if (c != ',') return false;
        advance();
        if (!skip_blank()) return false;
      }
      ++top.members;
      uint32_t parent = top.node;
      if (top.is_array) {
        if (!value(here(), "", parent)) return false;
        continue;
      }
      TextPosition key_at = here();
      std::string key;
      if (peek() != '"' || !string(&key) || !skip_blank() || peek() != ':') return false;
      advance();
      if (!skip_blank() || !value(key_at, std::move(key), parent)) return false;
    }
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t column_ = 1;
  std::vector<Open> open_;
  JsonPositions out_;
};

JsonPositions JsonPositions::index(std::string_view text) { return JsonPositionsBuilder(text).build(); }

std::optional<uint32_t> JsonPositions::walk(std::string_view pointer, bool& whole) const {
  whole = false;
  if (nodes_.empty()) return std::nullopt;
  uint32_t at = 0;
  if (pointer.empty()) {
    whole = true;
    return at;
  }
  if (pointer[0] != '/') return at;
  size_t start = 1;
  while (true) {
    size_t slash = pointer.find('/', start);
    std::string_view raw = pointer.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    const Node& node = nodes_[at];
    std::optional<uint32_t> next;
    if (node.is_array) {
      std::optional<size_t> i = array_index(raw);
      if (i && *i < node.children.size()) next = node.children[*i];
    } else {
      std::string token = unescape_token(raw);
      for (uint32_t child : node.children) {
        if (nodes_[child].key == token) next = child;  // a repeated member: the last one counts, as in nlohmann
      }
    }
    if (!next) return at;
    at = *next;
    if (slash == std::string_view::npos) {
      whole = true;
      return at;
    }
    start = slash + 1;
  }
}

std::optional<JsonSpan> JsonPositions::find(std::string_view pointer) const {
  bool whole = false;
  std::optional<uint32_t> node = walk(pointer, whole);
  if (!node || !whole) return std::nullopt;
  return nodes_[*node].span;
}

std::optional<JsonSpan> JsonPositions::nearest(std::string_view pointer) const {
  bool whole = false;
  std::optional<uint32_t> node = walk(pointer, whole);
  if (!node) return std::nullopt;
  return nodes_[*node].span;
}

std::string one_line_as_written(std::string_view text, size_t begin, size_t end, size_t max_bytes) {
  end = std::min(end, text.size());
  std::string out;
  bool blank = false, blank_newline = false;
  for (size_t i = begin; i < end && out.size() <= max_bytes; ++i) {
    char c = text[i];
    if (is_blank(c) || (c == '/' && i + 1 < end && (text[i + 1] == '/' || text[i + 1] == '*'))) {
      blank = true;
      if (c == '/' && text[i + 1] == '/') {
        while (i + 1 < end && text[i + 1] != '\n') ++i;
      } else if (c == '/') {
        size_t close = text.find("*/", i + 2);
        close = close == std::string_view::npos || close + 2 > end ? end : close + 2;
        blank_newline = blank_newline || text.substr(i, close - i).find('\n') != std::string_view::npos;
        i = close - 1;
      }
      blank_newline = blank_newline || c == '\n';
      continue;
    }
    if (blank && !out.empty()) {
      bool hugging = out.back() == '{' || out.back() == '[' || c == '}' || c == ']';
      if (!(blank_newline && hugging)) out += ' ';
    }
    blank = blank_newline = false;
    out += c;
    if (c != '"') continue;
    for (++i; i < end; ++i) {  // a string, byte for byte
      out += text[i];
      if (text[i] == '\\' && i + 1 < end) {
        out += text[++i];
      } else if (text[i] == '"') {
        break;
      }
    }
  }
  return printable_utf8(out, max_bytes);
}

std::string source_excerpt(std::string_view text, size_t first_line, size_t last_line, size_t mark_line,
                           size_t max_lines) {
  if (first_line == 0 || last_line < first_line || max_lines == 0) return "";
  // Keep the marked line in view: when the span is too long, show the lines around it.
  size_t lines = last_line - first_line + 1;
  size_t from = first_line, to = last_line;
  if (lines > max_lines) {
    size_t centre = mark_line >= first_line && mark_line <= last_line ? mark_line : first_line;
    from = centre > first_line + max_lines / 2 ? centre - max_lines / 2 : first_line;
    to = std::min(last_line, from + max_lines - 1);
  }
  size_t width = std::to_string(to).size();
  std::string out;
  if (from > first_line) out += std::string(width + 2, ' ') + "  (" + std::to_string(from - first_line) + " lines above)\n";
  size_t line = 1, start = 0;
  while (line < from && start < text.size()) {
    size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) return out;
    start = newline + 1;
    ++line;
  }
  for (; line <= to && start <= text.size(); ++line) {
    size_t newline = text.find('\n', start);
    std::string_view content = text.substr(start, newline == std::string_view::npos ? std::string_view::npos : newline - start);
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    std::string number = std::to_string(line);
    out += (line == mark_line ? "> " : "  ") + std::string(width - number.size(), ' ') + number + " | " +
           printable_utf8(content, kMaxExcerptLineBytes) + "\n";
    if (newline == std::string_view::npos) break;
    start = newline + 1;
  }
  if (to < last_line) out += std::string(width + 2, ' ') + "  (" + std::to_string(last_line - to) + " lines below)\n";
  return out;
}

}  // namespace dcisim::common
