/**
 * gRPC server reflection (v1 and v1alpha) so `buf curl` and grpcurl can list
 * and call our services without proto files. connect-node has no reflection
 * package; the protocol is small: answer each request on the bidi stream from
 * a registry of the served file descriptors.
 */
import { type DescFile, type DescService, type Registry, createRegistry, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { ServerReflection as ReflectionV1 } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ReflectionV1Alpha } from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";

/** The request fields both reflection versions share. */
type ReflectionRequest = {
  messageRequest:
    | { case: "fileByFilename" | "fileContainingSymbol" | "allExtensionNumbersOfType" | "listServices"; value: string }
    | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
    | { case: undefined; value?: undefined };
};

/** The response fields both versions share (as message init shapes). */
type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

const NOT_FOUND = 5;

/** Registers both reflection services, describing `services` (and themselves). */
export function registerReflection(router: ConnectRouter, services: readonly DescService[]): void {
  const all = [...services, ReflectionV1, ReflectionV1Alpha];
  const registry = createRegistry(...all.map((s) => s.file));
  const files = new Map<string, DescFile>();
  for (const s of all) collectFiles(s.file, files);
  const answer = (req: ReflectionRequest) => answerRequest(req, all, registry, files);

  router.service(ReflectionV1, {
    async *serverReflectionInfo(requests) {
      for await (const req of requests) {
        yield { validHost: req.host, originalRequest: req, messageResponse: answer(req) };
      }
    },
  });
  router.service(ReflectionV1Alpha, {
    async *serverReflectionInfo(requests) {
      for await (const req of requests) {
        yield { validHost: req.host, originalRequest: req, messageResponse: answer(req) };
      }
    },
  });
}

function answerRequest(
  req: ReflectionRequest,
  services: readonly DescService[],
  registry: Registry,
  files: Map<string, DescFile>,
): ReflectionAnswer {
  const r = req.messageRequest;
  switch (r.case) {
    case "listServices":
      return { case: "listServicesResponse", value: { service: services.map((s) => ({ name: s.typeName })) } };
    case "fileByFilename": {
      const file = files.get(r.value);
      return file ? fileAnswer(file) : notFound(`file ${r.value}`);
    }
    case "fileContainingSymbol": {
      const file = fileOfSymbol(registry, r.value);
      return file ? fileAnswer(file) : notFound(`symbol ${r.value}`);
    }
    case "fileContainingExtension": {
      const message = registry.getMessage(r.value.containingType);
      const ext = message ? registry.getExtensionFor(message, r.value.extensionNumber) : undefined;
      return ext ? fileAnswer(ext.file) : notFound(`extension ${r.value.containingType}/${r.value.extensionNumber}`);
    }
    case "allExtensionNumbersOfType": {
      const numbers: number[] = [];
      for (const t of registry) {
        if (t.kind === "extension" && t.extendee.typeName === r.value) numbers.push(t.number);
      }
      return { case: "allExtensionNumbersResponse", value: { baseTypeName: r.value, extensionNumber: numbers } };
    }
    default:
      return { case: "errorResponse", value: { errorCode: 3, errorMessage: "empty reflection request" } };
  }
}

function fileOfSymbol(registry: Registry, symbol: string): DescFile | undefined {
  const direct = registry.get(symbol);
  if (direct) return direct.file;
  // "pkg.Service.Method" and "pkg.Message.field" name a member of a type.
  const parent = registry.get(symbol.slice(0, symbol.lastIndexOf(".")));
  return parent?.file;
}

function fileAnswer(file: DescFile): ReflectionAnswer {
  const seen = new Map<string, DescFile>();
  collectFiles(file, seen);
  const ordered = [file, ...[...seen.values()].filter((f) => f !== file)];
  return {
    case: "fileDescriptorResponse",
    value: { fileDescriptorProto: ordered.map((f) => toBinary(FileDescriptorProtoSchema, f.proto)) },
  };
}

function collectFiles(file: DescFile, into: Map<string, DescFile>): void {
  if (into.has(file.proto.name)) return;
  into.set(file.proto.name, file);
  for (const dep of file.dependencies) collectFiles(dep, into);
}

function notFound(what: string): ReflectionAnswer {
  return { case: "errorResponse", value: { errorCode: NOT_FOUND, errorMessage: `${what} not found` } };
}
