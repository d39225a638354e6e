/// Top-level walks of one object or array that record where each member or element lies.
extension JSONCursor {
    /// Walks the object at `position`, validating every value; `visit` gets each member's key token (quotes
    /// included), whether the key has escapes, and the value's range.
    @inline(__always)
    mutating func walkObject(enclosingDepth: Int, _ visit: (_ key: Range<Int>, _ hasEscape: Bool, _ value: Range<Int>) -> Void) throws(JSONScanError) {
        guard position < end, byte(at: position) == JSONByte.openBrace else { throw failure("expected an object") }
        position += 1
        skipWhitespace()
        if position < end && byte(at: position) == JSONByte.closeBrace {
            position += 1
            return
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
            visit(keyRange, hasEscape, valueStart ..< position)
            skipWhitespace()
            guard position < end else { throw failure("unexpected end of input inside an object") }
            let separator = byte(at: position)
            position += 1
            if separator == JSONByte.closeBrace { return }
            guard separator == JSONByte.comma else { throw failure("expected ',' or '}' in object", at: position - 1) }
        }
    }

    /// Walks the array at `position`; `element` consumes each element from the cursor, validating it.
    @inline(__always)
    mutating func walkArray(_ element: (inout JSONCursor) throws(JSONScanError) -> Void) throws(JSONScanError) {
        guard position < end, byte(at: position) == JSONByte.openBracket else { throw failure("expected an array") }
        position += 1
        skipWhitespace()
        if position < end && byte(at: position) == JSONByte.closeBracket {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard position < end else { throw failure("unexpected end of input inside an array") }
            let separator = byte(at: position)
            position += 1
            if separator == JSONByte.closeBracket { return }
            guard separator == JSONByte.comma else { throw failure("expected ',' or ']' in array", at: position - 1) }
        }
    }

    /// Walks the object at `position`, validating every value, and returns its members in order.
    mutating func scanObjectMembers(enclosingDepth: Int) throws(JSONScanError) -> [JSONMember] {
        var members: [JSONMember] = []
        let base = self.base
        try walkObject(enclosingDepth: enclosingDepth) { key, hasEscape, value in
            members.append(JSONMember(key: JSONStringDecoder.decode(base: base, range: key, hasEscape: hasEscape), keyRange: key, valueRange: value))
        }
        return members
    }

    /// Walks the object at `position` and returns, per name of `names`, the value range of its last member of that
    /// name (as Python's `json.loads` keeps the last of repeated names), or nil. Keys are compared as bytes; only
    /// escaped keys are decoded.
    mutating func scanMemberValues(named names: [Substring], enclosingDepth: Int) throws(JSONScanError) -> [Range<Int>?] {
        var found = [Range<Int>?](repeating: nil, count: names.count)
        let base = self.base
        try walkObject(enclosingDepth: enclosingDepth) { key, hasEscape, value in
            let decoded = hasEscape ? JSONStringDecoder.decode(base: base, range: key, hasEscape: true) : nil
            let bytes = UnsafeRawBufferPointer(start: base + key.lowerBound + 1, count: key.count - 2)
            for (index, name) in names.enumerated() where decoded.map({ $0 == name }) ?? bytes.elementsEqual(name.utf8) {
                found[index] = value
            }
        }
        return found
    }

    /// Walks the array at `position`, validating every element, and returns their ranges in order.
    mutating func scanArrayElements(enclosingDepth: Int) throws(JSONScanError) -> [Range<Int>] {
        var elements: [Range<Int>] = []
        try walkArray { cursor throws(JSONScanError) in
            let start = cursor.position
            try cursor.skipValue(enclosingDepth: enclosingDepth + 1)
            elements.append(start ..< cursor.position)
        }
        return elements
    }

    /// Walks the array at `position` and returns, for each element that is an object, its member values named `names`
    /// (see `scanMemberValues`): one walk instead of one for the elements and one per element.
    mutating func scanElementMemberValues(named names: [Substring], enclosingDepth: Int) throws(JSONScanError) -> [[Range<Int>?]] {
        var elements: [[Range<Int>?]] = []
        try walkArray { cursor throws(JSONScanError) in
            if cursor.position < cursor.end && cursor.byte(at: cursor.position) == JSONByte.openBrace {
                elements.append(try cursor.scanMemberValues(named: names, enclosingDepth: enclosingDepth + 1))
            } else {
                try cursor.skipValue(enclosingDepth: enclosingDepth + 1)
            }
        }
        return elements
    }
}
