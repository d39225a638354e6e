/// One generated object member (a struct rather than a labeled tuple, which the recursive enum cannot reference).
struct FuzzMember {
    let key: String
    let value: FuzzValue
}
