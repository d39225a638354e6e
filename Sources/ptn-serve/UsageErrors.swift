import ArgumentParser
import PTNServe

/// Runs `body`, turning a refused command line, config file or value into a usage error (exit code 64, with usage).
func usageErrors<Value>(_ body: () throws -> Value) throws -> Value {
    do {
        return try body()
    } catch let error as ServeOption.UsageError {
        throw ValidationError(error.description)
    } catch let error as ConfigFile.Failure {
        throw ValidationError(error.description)
    } catch let error as ServeConfiguration.Invalid {
        throw ValidationError(error.description)
    } catch let error as RouteFileError {
        throw ValidationError(error.description)
    }
}
