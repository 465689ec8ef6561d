import type { Db } from '../../storage/database.ts';
import type { MemberRow, MemberUpdate, NewMemberRow } from './member.table.ts';

export async function insertMember(db: Db, member: NewMemberRow): Promise<MemberRow> {
  return db.insertInto('members').values(member).returningAll().executeTakeFirstOrThrow();
}

export async function findMember(db: Db, userId: number, id: number): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

export async function findRegistrant(db: Db, userId: number): Promise<MemberRow | undefined> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('user_id', '=', userId)
    .where('email', 'is', null)
    .executeTakeFirst();
}

export async function findMemberByEmail(db: Db, email: string): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findMemberByInvitation(db: Db, hash: string): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('invitation_hash', '=', hash).executeTakeFirst();
}

export async function listMembers(db: Db, userId: number): Promise<MemberRow[]> {
  return db.selectFrom('members').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export async function countOwners(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<number>().as('owners'))
    .where('user_id', '=', userId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.owners);
}

export async function updateMember(
  db: Db,
  userId: number,
  id: number,
  changes: MemberUpdate,
): Promise<MemberRow | undefined> {
  return db
    .updateTable('members')
    .set(changes)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteMember(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('members').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
