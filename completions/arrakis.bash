#!/bin/bash

__arrakis_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__arrakis_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__arrakis_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__arrakis_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_arrakis() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--explain-route --version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __arrakis_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    ask|code|analyze|improve|rollback|log|config|doctor|models|mcp|help)
        # Offer subcommand argument completions
        "_arrakis_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'ask code analyze improve rollback log config doctor models mcp help' -- "${cur}"))
        ;;
    esac
}

_arrakis_ask() {
    repeating_flags=()
    non_repeating_flags=(--no-stream -c --continue --json --quiet -q --with-history --no-history --version -h --help)
    repeating_options=()
    non_repeating_options=(--model -m --max-tokens --max-retries --effort --db --max-input-bytes --system --temperature --session --history-budget)
    __arrakis_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--model'|'-m')
        __arrakis_add_completions -W 'opus'$'\n''sonnet'$'\n''haiku'$'\n''fable'
        return
        ;;
    '--max-tokens')
        return
        ;;
    '--max-retries')
        return
        ;;
    '--effort')
        return
        ;;
    '--db')
        return
        ;;
    '--max-input-bytes')
        return
        ;;
    '--system')
        return
        ;;
    '--temperature')
        return
        ;;
    '--session')
        __arrakis_add_completions -W "$(__arrakis_custom_complete ---completion ask -- --session "${COMP_CWORD}" "$(__arrakis_cursor_index_in_current_word)")"
        return
        ;;
    '--history-budget')
        return
        ;;
    esac
}

_arrakis_code() {
    repeating_flags=()
    non_repeating_flags=(--allow-network --no-allow-network -c --continue --with-history --no-history --version -h --help)
    repeating_options=(--allow --deny --pass-env)
    non_repeating_options=(--model -m --max-tokens --max-retries --db --max-input-bytes --permission --sandbox --max-turns --max-budget-usd --test-command --mcp-config --effort --context-window --output-format --resume --replay --history-budget -C --workspace)
    __arrakis_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--model'|'-m')
        __arrakis_add_completions -W 'opus'$'\n''sonnet'$'\n''haiku'$'\n''fable'
        return
        ;;
    '--max-tokens')
        return
        ;;
    '--max-retries')
        return
        ;;
    '--db')
        return
        ;;
    '--max-input-bytes')
        return
        ;;
    '--permission')
        __arrakis_add_completions -W 'read-only'$'\n''safe-write'$'\n''full-access'$'\n''self-modify'
        return
        ;;
    '--allow')
        return
        ;;
    '--deny')
        return
        ;;
    '--sandbox')
        __arrakis_add_completions -W 'os'$'\n''policy'
        return
        ;;
    '--max-turns')
        return
        ;;
    '--max-budget-usd')
        return
        ;;
    '--test-command')
        return
        ;;
    '--pass-env')
        return
        ;;
    '--mcp-config')
        return
        ;;
    '--effort')
        return
        ;;
    '--context-window')
        return
        ;;
    '--output-format')
        __arrakis_add_completions -W 'text'$'\n''json'$'\n''stream-json'
        return
        ;;
    '--resume')
        __arrakis_add_completions -W "$(__arrakis_custom_complete ---completion code -- --resume "${COMP_CWORD}" "$(__arrakis_cursor_index_in_current_word)")"
        return
        ;;
    '--replay')
        return
        ;;
    '--history-budget')
        return
        ;;
    '-C'|'--workspace')
        return
        ;;
    esac
}

_arrakis_analyze() {
    repeating_flags=()
    non_repeating_flags=(--run-tests --no-model --compare --no-compare --wait --no-cache --json --markdown --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--since --test-command --fail-on --limit --model -m --max-tokens --max-retries --db)
    __arrakis_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--since')
        return
        ;;
    '--test-command')
        return
        ;;
    '--fail-on')
        return
        ;;
    '--limit')
        return
        ;;
    '--model'|'-m')
        __arrakis_add_completions -W 'opus'$'\n''sonnet'$'\n''haiku'$'\n''fable'
        return
        ;;
    '--max-tokens')
        return
        ;;
    '--max-retries')
        return
        ;;
    '--db')
        return
        ;;
    esac
}

_arrakis_improve() {
    repeating_flags=()
    non_repeating_flags=(--next --keep --merge --discard --dry-run --wait --force --no-history --json --version -h --help)
    repeating_options=(--target)
    non_repeating_options=(--improvement --model -m --max-tokens --max-retries --db --test-command --metric --metric-goal --metric-runs --metric-timeout --sandbox --max-fix-attempts --max-turns --max-budget-usd --history-budget -C --workspace)
    __arrakis_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--improvement')
        return
        ;;
    '--model'|'-m')
        __arrakis_add_completions -W 'opus'$'\n''sonnet'$'\n''haiku'$'\n''fable'
        return
        ;;
    '--max-tokens')
        return
        ;;
    '--max-retries')
        return
        ;;
    '--db')
        return
        ;;
    '--test-command')
        return
        ;;
    '--target')
        return
        ;;
    '--metric')
        return
        ;;
    '--metric-goal')
        __arrakis_add_completions -W 'lower'$'\n''higher'
        return
        ;;
    '--metric-runs')
        return
        ;;
    '--metric-timeout')
        return
        ;;
    '--sandbox')
        return
        ;;
    '--max-fix-attempts')
        return
        ;;
    '--max-turns')
        return
        ;;
    '--max-budget-usd')
        return
        ;;
    '--history-budget')
        return
        ;;
    '-C'|'--workspace')
        return
        ;;
    esac
}

_arrakis_rollback() {
    repeating_flags=()
    non_repeating_flags=(--last --prune --dry-run --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--older-than -C --workspace --db)
    __arrakis_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--older-than')
        return
        ;;
    '-C'|'--workspace')
        return
        ;;
    '--db')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arrakis_add_completions -W "$(__arrakis_custom_complete ---completion rollback -- positional@0 "${COMP_CWORD}" "$(__arrakis_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arrakis_log() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arrakis_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|stats|insights|backup|prune|recost|copy|path)
        # Offer subcommand argument completions
        "_arrakis_log_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show stats insights backup prune recost copy path' -- "${cur}"))
        ;;
    esac
}

_arrakis_log_list() {
    repeating_flags=()
    non_repeating_flags=(--json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(-n --limit --system --since --workspace --status -q --db)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-n'|'--limit')
        return
        ;;
    '--system')
        __arrakis_add_completions -W 'ask'$'\n''code'$'\n''analyze'$'\n''improve'$'\n''rollback'$'\n''log'
        return
        ;;
    '--since')
        return
        ;;
    '--workspace')
        return
        ;;
    '--status')
        __arrakis_add_completions -W 'running'$'\n''success'$'\n''failed'$'\n''interrupted'
        return
        ;;
    '-q')
        return
        ;;
    '--db')
        return
        ;;
    esac
}

_arrakis_log_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db)
    __arrakis_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arrakis_add_completions -W "$(__arrakis_custom_complete ---completion log show -- positional@0 "${COMP_CWORD}" "$(__arrakis_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arrakis_log_stats() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--since --html --db)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--since')
        return
        ;;
    '--html')
        return
        ;;
    '--db')
        return
        ;;
    esac
}

_arrakis_log_insights() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-n --limit --db)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-n'|'--limit')
        return
        ;;
    '--db')
        return
        ;;
    esac
}

_arrakis_log_backup() {
    repeating_flags=()
    non_repeating_flags=(--force --version -h --help)
    repeating_options=()
    non_repeating_options=(--db)
    __arrakis_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--db')
        return
        ;;
    esac
}

_arrakis_log_prune() {
    repeating_flags=()
    non_repeating_flags=(--dry-run --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--older-than --db)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--older-than')
        return
        ;;
    '--db')
        return
        ;;
    esac
}

_arrakis_log_recost() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--since --db)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--since')
        return
        ;;
    '--db')
        return
        ;;
    esac
}

_arrakis_log_copy() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--from --to --batch --db)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--batch')
        return
        ;;
    '--db')
        return
        ;;
    esac
}

_arrakis_log_path() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--db)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        return
        ;;
    esac
}

_arrakis_config() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arrakis_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    show|path)
        # Offer subcommand argument completions
        "_arrakis_config_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'show path' -- "${cur}"))
        ;;
    esac
}

_arrakis_config_show() {
    repeating_flags=()
    non_repeating_flags=(--allow-network --no-allow-network --json --version -h --help)
    repeating_options=(--allow --deny --pass-env)
    non_repeating_options=(--model -m --max-tokens --max-retries --permission --sandbox --max-turns --max-budget-usd --test-command --mcp-config -C --workspace)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--model'|'-m')
        __arrakis_add_completions -W 'opus'$'\n''sonnet'$'\n''haiku'$'\n''fable'
        return
        ;;
    '--max-tokens')
        return
        ;;
    '--max-retries')
        return
        ;;
    '--permission')
        __arrakis_add_completions -W 'read-only'$'\n''safe-write'$'\n''full-access'$'\n''self-modify'
        return
        ;;
    '--allow')
        return
        ;;
    '--deny')
        return
        ;;
    '--sandbox')
        __arrakis_add_completions -W 'os'$'\n''policy'
        return
        ;;
    '--max-turns')
        return
        ;;
    '--max-budget-usd')
        return
        ;;
    '--test-command')
        return
        ;;
    '--pass-env')
        return
        ;;
    '--mcp-config')
        return
        ;;
    '-C'|'--workspace')
        return
        ;;
    esac
}

_arrakis_config_path() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(-C --workspace)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C'|'--workspace')
        return
        ;;
    esac
}

_arrakis_doctor() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--db)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        return
        ;;
    esac
}

_arrakis_models() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arrakis_offer_flags_options 0
}

_arrakis_mcp() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--db)
    __arrakis_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--db')
        return
        ;;
    esac
}

_arrakis_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __arrakis_offer_flags_options -1
}

complete -o filenames -F _arrakis arrakis
