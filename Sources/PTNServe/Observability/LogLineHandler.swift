import Foundation
import Logging

/// Writes each log record as one line, in swift-log's text layout or as one JSON object, with a single `write(2)`.
///
/// Replaces swift-log's `StreamLogHandler`: with a line per request, its time-zone lookup and `String(format:)` per line
/// and its re-rendering of the metadata on every change cost about a fifth of the server's CPU (bench/RESULTS.md).
struct LogLineHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: LogFormat
    private let write: @Sendable (String) -> Void

    /// `write` receives each line including its newline.
    init(label: String, format: LogFormat, write: @escaping @Sendable (String) -> Void = LogLineHandler.standardError) {
        self.label = label
        self.format = format
        self.write = write
    }

    /// Writes a line to standard error in one `write(2)`, so that lines from concurrent requests never interleave.
    static let standardError: @Sendable (String) -> Void = { line in
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 { offset += written } else if written < 0, errno == EINTR { continue } else { return }
            }
        }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        let now = LogTimestamp.now()
        switch format {
        case .text: write(textLine(event, fields, now))
        case .json: write(jsonLine(event, fields, now))
        }
    }

    /// `2026-11-25T06:24:41+0000 info ptn-serve: key=value [Module] message`, as swift-log's stream handler writes it.
    private func textLine(_ event: LogEvent, _ fields: Logger.Metadata, _ now: LogTimestamp) -> String {
        var line = now.seconds
        line += "+0000 "
        line += event.level.rawValue
        line += " "
        line += label
        line += ":"
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            line += " "
            line += key
            line += "="
            line += value.description
        }
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        line += "\n"
        return line
    }

    /// `{"alias":"…","label":"ptn-serve","level":"info","message":"request",…,"ts":"2026-11-25T06:24:41.123Z"}`.
    private func jsonLine(_ event: LogEvent, _ fields: Logger.Metadata, _ now: LogTimestamp) -> String {
        var object = fields
        object["ts"] = .string(now.seconds + now.milliseconds + "Z")
        object["level"] = .string(event.level.rawValue)
        object["label"] = .string(label)
        object["message"] = .string(event.message.description)
        var line = ""
        Self.appendJSON(.dictionary(object), to: &line)
        line += "\n"
        return line
    }

    /// Metadata as JSON: strings and string-convertibles as strings, arrays and dictionaries (keys sorted) nested.
    static func appendJSON(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let string): line += JSONText.quoted(string)
        case .stringConvertible(let convertible): line += JSONText.quoted(convertible.description)
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                appendJSON(element, to: &line)
            }
            line += "]"
        case .dictionary(let dictionary):
            line += "{"
            for (index, (key, element)) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line += "," }
                line += JSONText.quoted(key)
                line += ":"
                appendJSON(element, to: &line)
            }
            line += "}"
        }
    }
}

/// The wall-clock time of a log line in UTC, formatted by hand: no time-zone database lookup per line.
struct LogTimestamp {
    /// `2026-11-25T06:24:41`
    let seconds: String
    /// `.123`
    let milliseconds: String

    static func now() -> LogTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var time = spec.tv_sec
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        let date = "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
        let clock = "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
        return LogTimestamp(seconds: date + "T" + clock, milliseconds: "." + pad(Int32(spec.tv_nsec / 1_000_000), 3))
    }
}
