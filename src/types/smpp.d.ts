/**
 * @module Types for the untyped `smpp` package (farhadi/node-smpp 0.5.x): only the parts verigate
 * uses. The package is CommonJS: its value is imported as the default export only (the constants are
 * read from that object); the named exports here are types.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events'
  import type { Server as NetServer, Socket } from 'node:net'

  /** A decoded `short_message` / `message_payload`: the text, and the UDH elements when UDHI was set. */
  export interface DecodedMessage {
    /** Decoded text for the data codings the library knows; the raw bytes otherwise. */
    message: string | Buffer
    /** Each element as `[iei, length, ...data]`. */
    udh?: Buffer[]
  }

  /** What `short_message` accepts when sending. */
  export type OutgoingMessageBody = string | Buffer | { message: string | Buffer; udh?: Buffer }

  /** The PDU fields verigate reads or writes (SMPP spec names). */
  export interface PduFields {
    command_status?: number
    sequence_number?: number
    system_id?: string
    password?: string
    system_type?: string
    interface_version?: number
    addr_ton?: number
    addr_npi?: number
    address_range?: string
    service_type?: string
    source_addr_ton?: number
    source_addr_npi?: number
    source_addr?: string
    dest_addr_ton?: number
    dest_addr_npi?: number
    destination_addr?: string
    esm_class?: number
    protocol_id?: number
    priority_flag?: number
    validity_period?: string
    registered_delivery?: number
    data_coding?: number | null
    message_id?: string
    short_message?: OutgoingMessageBody
    message_payload?: OutgoingMessageBody
    receipted_message_id?: string
    message_state?: number
    network_error_code?: Buffer
  }

  export interface Pdu {
    command: string
    command_id: number
    command_status: number
    sequence_number: number
    system_id?: string
    password?: string
    system_type?: string
    interface_version?: number
    source_addr_ton?: number
    source_addr_npi?: number
    source_addr?: string
    dest_addr_ton?: number
    dest_addr_npi?: number
    destination_addr?: string
    esm_class?: number
    registered_delivery?: number
    data_coding?: number
    message_id?: string
    /** Decoded on receipt (see DecodedMessage). */
    short_message?: DecodedMessage
    message_payload?: DecodedMessage
    receipted_message_id?: string
    message_state?: number
    network_error_code?: Buffer
    isResponse(): boolean
    /** The matching `*_resp` (or `generic_nack` for unknown commands) with the same sequence number. */
    response(options?: PduFields): Pdu
  }

  export type ResponseCallback = (pdu: Pdu) => void

  export interface Session extends EventEmitter {
    readonly socket: Socket
    /** Sends a PDU; false (and no callback, ever) when the socket is not writable. */
    send(pdu: Pdu, responseCallback?: ResponseCallback): boolean
    bind_transceiver(options: PduFields, responseCallback?: ResponseCallback): boolean
    submit_sm(options: PduFields, responseCallback?: ResponseCallback): boolean
    deliver_sm(options: PduFields, responseCallback?: ResponseCallback): boolean
    enquire_link(options: PduFields, responseCallback?: ResponseCallback): boolean
    unbind(options: PduFields, responseCallback?: ResponseCallback): boolean
    pause(): void
    resume(): void
    /** Ends the socket gracefully. */
    close(callback?: () => void): void
    destroy(callback?: () => void): void
    on(event: 'connect' | 'close', listener: () => void): this
    on(event: 'error', listener: (err: Error) => void): this
    on(event: string, listener: (pdu: Pdu) => void): this
  }

  export interface Server extends NetServer {
    readonly sessions: Session[]
  }

  export interface ConnectOptions {
    host: string
    port: number
    /** Sends enquire_link on this period (ms); verigate runs its own timer instead. */
    auto_enquire_link_period?: number
  }

  /** The module object (its constants are copied from `lib/defs.js`). */
  export interface Smpp {
    connect(options: ConnectOptions, listener?: () => void): Session
    createServer(listener: (session: Session) => void): Server
    PDU: new (command: string, options?: PduFields) => Pdu
    ESME_ROK: number
    ESME_RINVBNDSTS: number
    ESME_RALYBND: number
    ESME_RSYSERR: number
    ESME_RINVDSTADR: number
    ESME_RBINDFAIL: number
    ESME_RMSGQFUL: number
    ESME_RTHROTTLED: number
  }

  const smpp: Smpp
  export default smpp
}
