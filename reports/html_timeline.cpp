// The timeline of one scenario as inline SVG, drawn server-side so it renders without script:
// a lane per client, service and the emulator (plus the steps on top), service statuses as
// coloured spans, other events as marks with a <title> tooltip and a label where there is room.
//
// The time axis is compressed: each gap between consecutive instants that have something on
// them takes room growing with the logarithm of its length, so the 20 minutes of an OS install
// and the 31 days to the next renewal are both readable. Tick labels give the real offsets.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "reports/html_parts.h"
#include "reports/text.h"

namespace dcisim::reports::html_parts {

namespace {

constexpr double kWidth = 1160;
constexpr double kGutter = 170;  // lane names
constexpr double kRight = 16;
constexpr double kTop = 22;      // room for the failing-step label
constexpr double kLaneHeight = 30;
constexpr double kAxisHeight = 30;
// Widths of the 11px label font, on the generous side (DejaVu Sans, the widest of the usual
// system fonts): a label is only drawn where its estimated box is free, and the render check
// (scripts/check-report-render --layout) measures the real boxes in Chromium.
constexpr double kCharWidth = 6.8;
constexpr double kBoldCharWidth = 7.6;
constexpr double kLabelGap = 4;    // between two labels, or a label and a mark
constexpr double kMarkRadius = 6;  // dots and diamonds
constexpr size_t kMaxLabelChars = 34;
constexpr size_t kMaxLaneNameChars = 20;
const std::string kStepsLane = "steps";

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

// Positions on the compressed axis for every instant that has something drawn on it.
class Axis {
 public:
  explicit Axis(std::vector<common::Instant> instants) : instants_(std::move(instants)) {
    std::sort(instants_.begin(), instants_.end());
    instants_.erase(std::unique(instants_.begin(), instants_.end()), instants_.end());
    std::vector<double> cumulative(instants_.size(), 0.0);
    for (size_t i = 1; i < instants_.size(); ++i) {
      double gap_minutes = static_cast<double>((instants_[i] - instants_[i - 1]).count_ms()) / 60000.0;
      cumulative[i] = cumulative[i - 1] + 0.35 + std::log2(1.0 + gap_minutes);
    }
    double total = cumulative.empty() ? 0.0 : cumulative.back();
    double plot = kWidth - kGutter - kRight;
    for (double c : cumulative) xs_.push_back(total > 0 ? kGutter + c / total * plot : kGutter + plot / 2);
  }
  double x(common::Instant t) const {
    auto it = std::lower_bound(instants_.begin(), instants_.end(), t);
    size_t i = std::min<size_t>(it - instants_.begin(), instants_.size() - 1);
    return xs_[i];
  }
  double end_x() const { return xs_.empty() ? kWidth - kRight : xs_.back(); }
  const std::vector<common::Instant>& instants() const { return instants_; }
  const std::vector<double>& xs() const { return xs_; }

 private:
  std::vector<common::Instant> instants_;
  std::vector<double> xs_;
};

int lane_rank(const std::string& lane) {
  if (lane == kStepsLane) return 0;
  if (lane.rfind("client", 0) == 0) return 1;
  if (lane.rfind("service", 0) == 0) return 2;
  if (lane.rfind("emulator", 0) == 0) return 4;
  return 3;
}

std::string lane_label(const std::string& lane) { return cut_to_bytes(lane, kMaxLaneNameChars); }

// The estimated width of `text` in the label font: characters (not bytes) times a generous width.
double text_width(std::string_view text, double char_width = kCharWidth) {
  size_t chars = 0;
  for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return static_cast<double>(chars) * char_width;
}

struct Drawing {
  std::vector<std::string> lanes;                  // in drawing order, capped
  std::vector<const TimelineEvent*> events;        // drawn, in time order
  size_t left_out_events = 0;
  size_t left_out_lanes = 0;
};

Drawing select(const ScenarioResult& s, const HtmlLimits& limits) {
  Drawing d;
  std::vector<std::string> lanes;
  if (!s.steps.empty()) lanes.push_back(kStepsLane);
  for (const TimelineEvent& e : s.timeline) {
    if (std::find(lanes.begin(), lanes.end(), e.lane) == lanes.end()) lanes.push_back(e.lane);
  }
  std::stable_sort(lanes.begin(), lanes.end(),
                   [](const std::string& a, const std::string& b) { return lane_rank(a) < lane_rank(b); });
  if (lanes.size() > limits.max_timeline_lanes) {
    d.left_out_lanes = lanes.size() - limits.max_timeline_lanes;
    lanes.resize(limits.max_timeline_lanes);
  }
  d.lanes = lanes;
  std::vector<const TimelineEvent*> sorted;
  for (const TimelineEvent& e : s.timeline) {
    if (std::find(lanes.begin(), lanes.end(), e.lane) != lanes.end()) sorted.push_back(&e);
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const TimelineEvent* a, const TimelineEvent* b) { return a->at < b->at; });
  if (sorted.size() > limits.max_timeline_events) {
    d.left_out_events = sorted.size() - limits.max_timeline_events;
    sorted.resize(limits.max_timeline_events);
  }
  d.events = std::move(sorted);
  return d;
}

std::string tooltip(common::Instant at, common::Instant origin, const std::string& what) {
  return "<title>" + esc(common::format_instant(at) + " (" + relative_time(at, origin) + ")\n" +
                         cut_to_bytes(what, 600)) + "</title>";
}

// What is already drawn in one lane, as spans of x: the marks first, then each label placed.
// A label goes to the right of its mark (cut to end before the next mark), else to its left,
// else nowhere; never over another label or a mark. The tooltip always has the full text.
class LaneLabels {
 public:
  void take(double x0, double x1) {
    taken_.emplace(x0, x1);
    widest_ = std::max(widest_, x1 - x0);
  }
  // Only spans that start within the widest span's reach can overlap: a lane of thousands of
  // steps stays fast.
  bool free(double x0, double x1) const {
    if (x0 < kGutter || x1 > kWidth - 2) return false;
    for (auto it = taken_.lower_bound(x0 - widest_ - kLabelGap); it != taken_.end() && it->first < x1 + kLabelGap; ++it) {
      if (x0 < it->second + kLabelGap) return false;
    }
    return true;
  }

  std::string place(double mark_x, double next_mark_x, double y, const std::string& text) {
    double left = mark_x + kMarkRadius + kLabelGap;
    double room = std::min(next_mark_x - kMarkRadius - kLabelGap, kWidth - 2) - left;
    size_t chars = std::min<size_t>(kMaxLabelChars, room > 0 ? static_cast<size_t>(room / kCharWidth) : 0);
    if (chars >= std::min<size_t>(text.size(), 6)) {
      std::string shown = cut_to_bytes(text, chars);
      double right = left + text_width(shown);
      if (free(left, right)) {
        take(left, right);
        return "<text class=\"label\" x=\"" + num(left) + "\" y=\"" + num(y) + "\">" + esc(shown) + "</text>";
      }
    }
    std::string shown = cut_to_bytes(text, kMaxLabelChars);
    double right = mark_x - kMarkRadius - kLabelGap;
    double start = right - text_width(shown);
    if (!free(start, right)) return "";
    take(start, right);
    return "<text class=\"label end\" x=\"" + num(right) + "\" y=\"" + num(y) + "\">" + esc(shown) + "</text>";
  }

 private:
  std::multimap<double, double> taken_;  // start -> end: the lane's marks and labels
  double widest_ = 0;
};

// Consecutive steps at the same instant share one diamond labelled "#0-3".
std::string steps_row(const ScenarioResult& s, const Axis& axis, double mid, LaneLabels& labels) {
  std::string out;
  for (size_t i = 0; i < s.steps.size();) {
    size_t j = i;
    std::string all;
    bool failed = false, not_run = true;
    while (j < s.steps.size() && s.steps[j].virtual_at == s.steps[i].virtual_at) {
      const StepRecord& step = s.steps[j];
      all += (all.empty() ? "" : "\n") + std::string("step ") + std::to_string(step.index) + " [" +
             step_outcome_name(step.outcome) + "]: " + cut_to_bytes(step.text, 200);
      failed = failed || step.outcome == StepOutcome::failed;
      not_run = not_run && step.outcome == StepOutcome::not_run;
      ++j;
    }
    double x = axis.x(s.steps[i].virtual_at);
    double next_x = j < s.steps.size() ? axis.x(s.steps[j].virtual_at) : kWidth;
    const char* css = failed ? "failed" : not_run ? "not_run" : "passed";
    out += "<g class=\"step " + std::string(css) + "\"><path d=\"M" + num(x) + " " + num(mid - 6) +
           " l5 6 l-5 6 l-5 -6 z\"/>" + tooltip(s.steps[i].virtual_at, s.virtual_start, all) + "</g>";
    std::string label = "#";
    label += std::to_string(s.steps[i].index);
    if (j - i > 1) label += "-" + std::to_string(s.steps[j - 1].index);
    out += labels.place(x, next_x, mid + 4, label);
    i = j;
  }
  return out;
}

std::string status_spans(const std::vector<const TimelineEvent*>& statuses, const ScenarioResult& s,
                         const Axis& axis, double mid, LaneLabels& labels) {
  std::string out;
  for (size_t i = 0; i < statuses.size(); ++i) {
    const TimelineEvent& e = *statuses[i];
    double x1 = axis.x(e.at);
    double x2 = i + 1 < statuses.size() ? axis.x(statuses[i + 1]->at) : axis.end_x();
    std::string status = status_name(e.text);
    out += "<g class=\"span\"><rect class=\"st st-" + esc_attr(status_class(status)) + "\" x=\"" +
           num(x1) + "\" y=\"" + num(mid - 8) + "\" width=\"" + num(std::max(x2 - x1, 2.0)) +
           "\" height=\"16\" rx=\"3\"/>" + tooltip(e.at, s.virtual_start, e.text) + "</g>";
    // Inside the span: at its start, or after a mark that sits there.
    double width = text_width(status, kBoldCharWidth);
    for (double start : {x1 + 4, x1 + kMarkRadius + kLabelGap}) {
      if (x2 - start < width + 4 || !labels.free(start, start + width)) continue;
      labels.take(start, start + width);
      out += "<text class=\"st-label\" x=\"" + num(start) + "\" y=\"" + num(mid + 4) + "\">" + esc(status) + "</text>";
      break;
    }
  }
  return out;
}

std::string event_marks(const std::vector<const TimelineEvent*>& events, const ScenarioResult& s,
                        const Axis& axis, double mid, LaneLabels& labels) {
  std::string out;
  for (size_t i = 0; i < events.size();) {
    // Events at the same instant share one mark; the tooltip lists them all.
    size_t j = i;
    std::string all;
    while (j < events.size() && events[j]->at == events[i]->at) {
      all += (all.empty() ? "" : "\n") + events[j]->kind + ": " + events[j]->text;
      ++j;
    }
    double x = axis.x(events[i]->at);
    out += "<g class=\"mark k-" + std::string(kind_class(events[i]->kind)) + "\"><circle cx=\"" +
           num(x) + "\" cy=\"" + num(mid) + "\" r=\"5\"/>" + tooltip(events[i]->at, s.virtual_start, all) +
           "</g>";
    std::string label = events[i]->text;
    if (j - i > 1) label += " (+" + std::to_string(j - i - 1) + ")";
    double next_x = j < events.size() ? axis.x(events[j]->at) : kWidth;
    out += labels.place(x, next_x, mid + 4, label);
    i = j;
  }
  return out;
}

// A tick where its label fits after the previous one's (centred on the tick, or ending at it near
// the right edge).
std::string axis_row(const ScenarioResult& s, const Axis& axis, double top, double bottom) {
  std::string out;
  double free_from = 0;
  for (size_t i = 0; i < axis.instants().size(); ++i) {
    double x = axis.xs()[i];
    std::string label = relative_time(axis.instants()[i], s.virtual_start);
    double width = text_width(label);
    bool at_end = x + width / 2 > kWidth - 2;
    double start = at_end ? x - width : x - width / 2;
    if (start < free_from) continue;
    free_from = start + width + 3 * kLabelGap;
    out += "<line class=\"grid\" x1=\"" + num(x) + "\" y1=\"" + num(top) + "\" x2=\"" + num(x) +
           "\" y2=\"" + num(bottom) + "\"/><text class=\"tick" + std::string(at_end ? " end" : "") + "\" x=\"" +
           num(x) + "\" y=\"" + num(bottom + 14) + "\">" + esc(label) + "<title>" +
           esc(common::format_instant(axis.instants()[i])) + "</title></text>";
  }
  return out;
}

std::string failing_step_line(const ScenarioResult& s, const Axis& axis, double bottom) {
  if (!s.failure) return "";
  for (const StepRecord& step : s.steps) {
    if (step.index != s.failure->step_index) continue;
    double x = axis.x(step.virtual_at);
    // The label sits centred on the line, or ends at it near the right edge.
    std::string label = "step " + std::to_string(step.index) + " failed";
    const char* anchor = x + text_width(label, kBoldCharWidth) / 2 > kWidth - 2 ? " end" : "";
    return "<line class=\"fail-line\" x1=\"" + num(x) + "\" y1=\"14\" x2=\"" + num(x) + "\" y2=\"" +
           num(bottom) + "\"/><text class=\"fail-label" + anchor + "\" x=\"" + num(x) +
           "\" y=\"11\">" + label + "</text>";
  }
  return "";
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// What the colours mean, for the statuses and kinds drawn (in order of first appearance).
std::string legend(const ScenarioResult& s, const Drawing& d) {
  std::vector<std::string> statuses, kinds;
  for (const TimelineEvent* e : d.events) {
    if (e->kind == "status") {
      add_unique(statuses, status_name(e->text));
    } else if (!(e->lane == kStepsLane && e->kind == "step")) {
      add_unique(kinds, e->kind);
    }
  }
  std::string out = "<div class=\"legend\">";
  if (!s.steps.empty()) out += "<span><i class=\"diamond\"></i>step</span>";
  for (const std::string& status : statuses) {
    out += "<span><i class=\"sw st-" + std::string(status_class(status)) + "\"></i>" +
           esc(cut_to_bytes(status, 40)) + "</span>";
  }
  for (const std::string& kind : kinds) {
    out += "<span><i class=\"dot k-" + std::string(kind_class(kind)) + "\"></i>" +
           esc(cut_to_bytes(kind, 40)) + "</span>";
  }
  out += "<span class=\"axis-note\">Virtual time, compressed: long quiet periods are shortened. "
         "Hover a mark for the exact time and text.</span></div>\n";
  return out;
}

std::vector<common::Instant> drawn_instants(const ScenarioResult& s, const Drawing& d) {
  std::vector<common::Instant> instants = {s.virtual_start, s.virtual_end};
  for (const StepRecord& step : s.steps) instants.push_back(step.virtual_at);
  for (const TimelineEvent* e : d.events) instants.push_back(e->at);
  return instants;
}

}  // namespace

std::string timeline_svg(const ScenarioResult& s, const HtmlLimits& limits) {
  Drawing d = select(s, limits);
  if (d.lanes.empty()) return "<p class=\"none\">No events recorded.</p>\n";
  Axis axis(drawn_instants(s, d));
  double bottom = kTop + kLaneHeight * static_cast<double>(d.lanes.size());
  double height = bottom + kAxisHeight;
  std::string out = "<div class=\"timeline\"><svg viewBox=\"0 0 " + num(kWidth) + " " + num(height) +
                    "\" width=\"100%\" role=\"img\" aria-label=\"timeline of " + esc_attr(s.name) + "\">";
  out += axis_row(s, axis, kTop, bottom);
  for (size_t lane = 0; lane < d.lanes.size(); ++lane) {
    double y = kTop + kLaneHeight * static_cast<double>(lane);
    double mid = y + kLaneHeight / 2;
    out += "<rect class=\"lane" + std::string(lane % 2 ? " odd" : "") + "\" x=\"0\" y=\"" + num(y) +
           "\" width=\"" + num(kWidth) + "\" height=\"" + num(kLaneHeight) + "\"/>";
    out += "<text class=\"lane-name\" x=\"8\" y=\"" + num(mid + 4) + "\">" + esc(lane_label(d.lanes[lane])) +
           "<title>" + esc(d.lanes[lane]) + "</title></text>";
    bool steps_lane = d.lanes[lane] == kStepsLane;
    std::vector<const TimelineEvent*> statuses, others;
    for (const TimelineEvent* e : d.events) {
      if (e->lane != d.lanes[lane]) continue;
      if (steps_lane && e->kind == "step") continue;  // the diamonds are the steps
      (e->kind == "status" ? statuses : others).push_back(e);
    }
    // Every mark first, so that no label covers one; then the labels, statuses' first.
    LaneLabels labels;
    for (const TimelineEvent* e : others) labels.take(axis.x(e->at) - kMarkRadius, axis.x(e->at) + kMarkRadius);
    if (steps_lane) {
      for (const StepRecord& step : s.steps) labels.take(axis.x(step.virtual_at) - kMarkRadius, axis.x(step.virtual_at) + kMarkRadius);
    }
    out += status_spans(statuses, s, axis, mid, labels);
    if (steps_lane) out += steps_row(s, axis, mid, labels);
    out += event_marks(others, s, axis, mid, labels);
  }
  out += failing_step_line(s, axis, bottom);
  out += "</svg></div>\n" + legend(s, d);
  if (d.left_out_events > 0 || d.left_out_lanes > 0) {
    out += "<p class=\"note\">The timeline leaves out " + std::to_string(d.left_out_events) +
           " events and " + std::to_string(d.left_out_lanes) +
           " lanes (drawing limits); the events table below lists them.</p>\n";
  }
  return out;
}

}  // namespace dcisim::reports::html_parts
