/// Top-level walks of one object or array that record where each member or element lies.
extension JSONCursor {
    /// Walks the object at `position`, validating every value, and returns its members in order.
    mutating func scanObjectMembers(enclosingDepth: Int) throws(JSONScanError) -> [JSONMember] {
        guard position < end, byte(at: position) == JSONByte.openBrace else { throw failure("expected an object") }
        position += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if position < end && byte(at: position) == JSONByte.closeBrace {
            position += 1
            return members
        }
        while true {
            try expectKeyStart()
            let keyStart = position
            let hasEscape = try scanString()
            let keyRange = keyStart ..< position
            try expect(JSONByte.colon, "':' after object key")
            skipWhitespace()
            let valueStart = position
            try skipValue(enclosingDepth: enclosingDepth + 1)
            let key = JSONStringDecoder.decode(base: base, range: keyRange, hasEscape: hasEscape)
            members.append(JSONMember(key: key, keyRange: keyRange, valueRange: valueStart ..< position))
            skipWhitespace()
            guard position < end else { throw failure("unexpected end of input inside an object") }
            let separator = byte(at: position)
            position += 1
            if separator == JSONByte.closeBrace { return members }
            guard separator == JSONByte.comma else { throw failure("expected ',' or '}' in object", at: position - 1) }
        }
    }

    /// Walks the object at `position` and returns, per name of `names`, the value range of its last member of that
    /// name (as Python's `json.loads` keeps the last of repeated names), or nil. Keys are compared as bytes; only
    /// escaped keys are decoded.
    mutating func scanMemberValues(named names: [Substring], enclosingDepth: Int) throws(JSONScanError) -> [Range<Int>?] {
        guard position < end, byte(at: position) == JSONByte.openBrace else { throw failure("expected an object") }
        position += 1
        var found = [Range<Int>?](repeating: nil, count: names.count)
        skipWhitespace()
        if position < end && byte(at: position) == JSONByte.closeBrace {
            position += 1
            return found
        }
        while true {
            try expectKeyStart()
            let keyStart = position
            let hasEscape = try scanString()
            let keyRange = keyStart ..< position
            try expect(JSONByte.colon, "':' after object key")
            skipWhitespace()
            let valueStart = position
            try skipValue(enclosingDepth: enclosingDepth + 1)
            let decoded = hasEscape ? JSONStringDecoder.decode(base: base, range: keyRange, hasEscape: true) : nil
            let key = UnsafeRawBufferPointer(start: base + keyStart + 1, count: keyRange.count - 2)
            for (index, name) in names.enumerated() where decoded.map({ $0 == name }) ?? key.elementsEqual(name.utf8) {
                found[index] = valueStart ..< position
            }
            skipWhitespace()
            guard position < end else { throw failure("unexpected end of input inside an object") }
            let separator = byte(at: position)
            position += 1
            if separator == JSONByte.closeBrace { return found }
            guard separator == JSONByte.comma else { throw failure("expected ',' or '}' in object", at: position - 1) }
        }
    }

    /// Walks the array at `position` and returns, for each element that is an object, its member values named `names`
    /// (see `scanMemberValues`): one walk instead of one for the elements and one per element.
    mutating func scanElementMemberValues(named names: [Substring], enclosingDepth: Int) throws(JSONScanError) -> [[Range<Int>?]] {
        guard position < end, byte(at: position) == JSONByte.openBracket else { throw failure("expected an array") }
        position += 1
        var elements: [[Range<Int>?]] = []
        skipWhitespace()
        if position < end && byte(at: position) == JSONByte.closeBracket {
            position += 1
            return elements
        }
        while true {
            skipWhitespace()
            if position < end && byte(at: position) == JSONByte.openBrace {
                elements.append(try scanMemberValues(named: names, enclosingDepth: enclosingDepth + 1))
            } else {
                try skipValue(enclosingDepth: enclosingDepth + 1)
            }
            skipWhitespace()
            guard position < end else { throw failure("unexpected end of input inside an array") }
            let separator = byte(at: position)
            position += 1
            if separator == JSONByte.closeBracket { return elements }
            guard separator == JSONByte.comma else { throw failure("expected ',' or ']' in array", at: position - 1) }
        }
    }

    /// Walks the array at `position`, validating every element, and returns their ranges in order.
    mutating func scanArrayElements(enclosingDepth: Int) throws(JSONScanError) -> [Range<Int>] {
        guard position < end, byte(at: position) == JSONByte.openBracket else { throw failure("expected an array") }
        position += 1
        var elements: [Range<Int>] = []
        skipWhitespace()
        if position < end && byte(at: position) == JSONByte.closeBracket {
            position += 1
            return elements
        }
        while true {
            skipWhitespace()
            let elementStart = position
            try skipValue(enclosingDepth: enclosingDepth + 1)
            elements.append(elementStart ..< position)
            skipWhitespace()
            guard position < end else { throw failure("unexpected end of input inside an array") }
            let separator = byte(at: position)
            position += 1
            if separator == JSONByte.closeBracket { return elements }
            guard separator == JSONByte.comma else { throw failure("expected ',' or ']' in array", at: position - 1) }
        }
    }
}
