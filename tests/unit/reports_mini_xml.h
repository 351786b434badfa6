// A strict, minimal XML 1.0 reader for checking the JUnit writer's output in tests: elements,
// attributes, text, the five predefined entities and character references, an XML declaration.
// It refuses what a real parser refuses: unbalanced tags, raw '<' or '&' in text, unquoted or
// duplicate attributes, characters XML 1.0 forbids, invalid UTF-8, more than one root.
// (No DTDs, comments, CDATA or processing instructions: the writer emits none.)
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dcisim::reports::testing {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<XmlElement> children;
  std::string text;  // the concatenated, decoded character data directly inside

  std::vector<const XmlElement*> all(const std::string& child_name) const {
    std::vector<const XmlElement*> out;
    for (const XmlElement& c : children) {
      if (c.name == child_name) out.push_back(&c);
    }
    return out;
  }
  const XmlElement* first(const std::string& child_name) const {
    for (const XmlElement& c : children) {
      if (c.name == child_name) return &c;
    }
    return nullptr;
  }
  std::string attr(const std::string& key) const {
    auto it = attributes.find(key);
    return it == attributes.end() ? std::string("<missing>") : it->second;
  }
  bool has_attr(const std::string& key) const { return attributes.count(key) > 0; }
};

class MiniXmlReader {
 public:
  explicit MiniXmlReader(const std::string& text) : s_(text) {}

  // The root element, or nullopt with error() saying what was wrong and where.
  std::optional<XmlElement> parse() {
    if (!valid_characters()) return std::nullopt;
    if (s_.compare(0, 5, "<?xml") == 0) {
      size_t end = s_.find("?>");
      if (end == std::string::npos) return fail("unterminated XML declaration");
      pos_ = end + 2;
    }
    skip_space();
    XmlElement root;
    if (!element(root)) return std::nullopt;
    skip_space();
    if (pos_ != s_.size()) return fail("content after the root element");
    return root;
  }
  const std::string& error() const { return error_; }

 private:
  std::nullopt_t fail(const std::string& what) {
    error_ = what + " at byte " + std::to_string(pos_);
    return std::nullopt;
  }

  bool valid_characters() {
    for (size_t i = 0; i < s_.size();) {
      unsigned char c = s_[i];
      size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
      if (n == 0 || i + n > s_.size()) return (pos_ = i, fail("invalid UTF-8"), false);
      uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
      for (size_t k = 1; k < n; ++k) {
        if ((static_cast<unsigned char>(s_[i + k]) & 0xC0) != 0x80) {
          return (pos_ = i, fail("invalid UTF-8"), false);
        }
        cp = (cp << 6) | (s_[i + k] & 0x3F);
      }
      bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!ok) return (pos_ = i, fail("character not allowed in XML 1.0"), false);
      i += n;
    }
    return true;
  }

  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
  }

  std::string name() {
    size_t start = pos_;
    while (pos_ < s_.size() && (isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-' ||
                                s_[pos_] == '_' || s_[pos_] == ':' || s_[pos_] == '.')) {
      ++pos_;
    }
    return s_.substr(start, pos_ - start);
  }

  // Decodes character data up to `stop`; refuses raw '<' and bad entities.
  bool decode(size_t end, std::string& out, bool attribute) {
    while (pos_ < end) {
      char c = s_[pos_];
      if (c == '<') return (fail("raw '<'"), false);
      if (c != '&') {
        out += (attribute && (c == '\n' || c == '\t' || c == '\r')) ? ' ' : c;
        ++pos_;
        continue;
      }
      size_t semi = s_.find(';', pos_);
      if (semi == std::string::npos || semi > end) return (fail("unterminated entity"), false);
      std::string entity = s_.substr(pos_ + 1, semi - pos_ - 1);
      static const std::map<std::string, std::string> named = {
          {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
      if (auto it = named.find(entity); it != named.end()) {
        out += it->second;
      } else if (entity.size() > 1 && entity[0] == '#') {
        unsigned long cp = entity[1] == 'x' ? std::stoul(entity.substr(2), nullptr, 16)
                                            : std::stoul(entity.substr(1), nullptr, 10);
        if (cp >= 0x80) return (fail("unexpected non-ASCII character reference"), false);
        if (cp < 0x20 && cp != 9 && cp != 10 && cp != 13) return (fail("forbidden reference"), false);
        out += static_cast<char>(cp);
      } else {
        return (fail("unknown entity &" + entity + ";"), false);
      }
      pos_ = semi + 1;
    }
    return true;
  }

  bool attributes(XmlElement& e) {
    while (true) {
      skip_space();
      if (pos_ >= s_.size()) return (fail("unterminated tag"), false);
      if (s_[pos_] == '>' || s_[pos_] == '/') return true;
      std::string key = name();
      if (key.empty() || pos_ >= s_.size() || s_[pos_] != '=') return (fail("bad attribute"), false);
      ++pos_;
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) return (fail("unquoted attribute"), false);
      char quote = s_[pos_++];
      size_t end = s_.find(quote, pos_);
      if (end == std::string::npos) return (fail("unterminated attribute"), false);
      std::string value;
      if (!decode(end, value, true)) return false;
      if (!e.attributes.emplace(key, value).second) return (fail("duplicate attribute " + key), false);
      pos_ = end + 1;
    }
  }

  bool element(XmlElement& e) {
    if (pos_ >= s_.size() || s_[pos_] != '<') return (fail("expected '<'"), false);
    ++pos_;
    e.name = name();
    if (e.name.empty()) return (fail("empty element name"), false);
    if (!attributes(e)) return false;
    if (s_[pos_] == '/') {
      if (s_.compare(pos_, 2, "/>") != 0) return (fail("bad empty-element tag"), false);
      pos_ += 2;
      return true;
    }
    ++pos_;  // '>'
    if (++depth_ > 64) return (fail("too deep"), false);
    while (true) {
      size_t next = s_.find('<', pos_);
      if (next == std::string::npos) return (fail("unterminated element " + e.name), false);
      if (!decode(next, e.text, false)) return false;
      if (s_.compare(pos_, 2, "</") == 0) {
        pos_ += 2;
        if (name() != e.name) return (fail("mismatched end tag for " + e.name), false);
        skip_space();
        if (pos_ >= s_.size() || s_[pos_] != '>') return (fail("bad end tag"), false);
        ++pos_;
        --depth_;
        return true;
      }
      e.children.emplace_back();
      if (!element(e.children.back())) return false;
    }
  }

  const std::string& s_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::string error_;
};

}  // namespace dcisim::reports::testing
