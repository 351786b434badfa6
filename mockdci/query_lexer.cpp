#include "mockdci/query_lexer.h"

#include <array>
#include <utility>

namespace dcisim::mockdci::query_detail {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_word_char(char c) {
  return is_letter(c) || is_digit(c) || c == '.';
}
char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

Keyword keyword_of(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, Keyword>, 14> kKeywords{{
      {"and", Keyword::and_},
      {"or", Keyword::or_},
      {"not", Keyword::not_},
      {"eq", Keyword::eq},
      {"ne", Keyword::ne},
      {"gt", Keyword::gt},
      {"ge", Keyword::ge},
      {"lt", Keyword::lt},
      {"le", Keyword::le},
      {"cp", Keyword::cp},
      {"is", Keyword::is},
      {"null", Keyword::null},
      {"true", Keyword::true_},
      {"false", Keyword::false_},
  }};
  for (const auto& [text, keyword] : kKeywords) {
    if (equals_ignoring_case(word, text)) return keyword;
  }
  return Keyword::none;
}

std::string describe_character(std::string_view text, size_t offset) {
  char c = text[offset];
  if (c == '"') return "'\"' (strings are in single quotes)";
  if (c == '=' || c == '<' || c == '>' || c == '!') {
    return join(
        {"'", std::string_view(&text[offset], 1), "' (operators are EQ NE GT GE LT LE CP)"});
  }
  return join({"'", printable(text.substr(offset, 1)), "'"});
}

}  // namespace

std::string join(std::initializer_list<std::string_view> parts) {
  size_t length = 0;
  for (std::string_view part : parts) length += part.size();
  std::string out;
  out.reserve(length);
  for (std::string_view part : parts) out.append(part);
  return out;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

size_t char_position(std::string_view text, size_t offset) {
  size_t position = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    // Continuation bytes (10xxxxxx) belong to the character before them.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++position;
  }
  return position;
}

std::string printable(std::string_view text, size_t max_chars) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t shown = 0;
  for (char c : text) {
    if (shown == max_chars) return out.append("...");
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      out += c;
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
    ++shown;
  }
  return out;
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::end: return "end of input";
    case TokenKind::word: return join({"\"", printable(token.source), "\""});
    case TokenKind::string: return join({"string ", printable(token.source)});
    case TokenKind::number: return join({"number ", printable(token.source)});
    case TokenKind::open_paren: return "'('";
    case TokenKind::close_paren: return "')'";
    case TokenKind::comma: return "','";
  }
  return "?";
}

common::Error Lexer::error_at(size_t offset, const std::string& what) const {
  return common::Error::invalid(
      join({parameter_, ": position ", std::to_string(char_position(text_, offset)), ": ", what}));
}

common::Result<Token> Lexer::next() {
  while (at_ < text_.size() && is_space(text_[at_])) ++at_;
  size_t start = at_;
  if (at_ == text_.size()) return Token{TokenKind::end, start, {}, {}, Keyword::none};
  char c = text_[at_];
  auto single = [&](TokenKind kind) {
    ++at_;
    return Token{kind, start, text_.substr(start, 1), {}, Keyword::none};
  };
  if (c == '(') return single(TokenKind::open_paren);
  if (c == ')') return single(TokenKind::close_paren);
  if (c == ',') return single(TokenKind::comma);
  if (c == '\'') return read_string(start);
  if (is_digit(c) || (c == '-' && at_ + 1 < text_.size() && is_digit(text_[at_ + 1]))) {
    return read_number(start);
  }
  if (is_letter(c)) return read_word(start);
  return error_at(start, join({"unexpected character ", describe_character(text_, start)}));
}

common::Result<Token> Lexer::read_word(size_t start) {
  while (at_ < text_.size() && is_word_char(text_[at_])) ++at_;
  std::string_view word = text_.substr(start, at_ - start);
  return Token{TokenKind::word, start, word, {}, keyword_of(word)};
}

common::Result<Token> Lexer::read_string(size_t start) {
  std::string value;
  ++at_;  // the opening quote
  while (at_ < text_.size()) {
    char c = text_[at_++];
    if (c != '\'') {
      value += c;
      continue;
    }
    if (at_ < text_.size() && text_[at_] == '\'') {  // '' is a quote inside the string
      value += '\'';
      ++at_;
      continue;
    }
    return Token{TokenKind::string, start, text_.substr(start, at_ - start), std::move(value),
                 Keyword::none};
  }
  return error_at(start, "unterminated string");
}

common::Result<Token> Lexer::read_number(size_t start) {
  if (text_[at_] == '-') ++at_;
  while (at_ < text_.size() && is_digit(text_[at_])) ++at_;
  if (at_ < text_.size() && text_[at_] == '.') {
    ++at_;
    size_t fraction_start = at_;
    while (at_ < text_.size() && is_digit(text_[at_])) ++at_;
    if (at_ == fraction_start) {
      return error_at(
          start, join({"malformed number \"", printable(text_.substr(start, at_ - start)), "\""}));
    }
  }
  if (at_ < text_.size() && is_word_char(text_[at_])) {
    while (at_ < text_.size() && is_word_char(text_[at_])) ++at_;
    return error_at(
        start, join({"malformed number \"", printable(text_.substr(start, at_ - start)), "\""}));
  }
  return Token{TokenKind::number, start, text_.substr(start, at_ - start), {}, Keyword::none};
}

}  // namespace dcisim::mockdci::query_detail
